"""roles, sign-ins that can end, instructors of classes, archived classes

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-04 10:00:00.000000

- user.active and user.must_change_password (a reset's one-time password);
- sign_in: one row per signed-in browser, so a session ends when its row goes;
- class_instructor: who teaches which class (many to many). Each class made on
  the classes page gets its creator as first instructor; a class made with
  `create-class` before this release has none, and only admins see it until one
  is added on its page;
- classroom.archived_at;
- the instructor account made first (the one `setup` made) becomes an admin,
  so that someone may manage instructors and see every student, as every
  instructor did before. The others see the classes they teach.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('active', sa.Boolean(), server_default=sa.true(), nullable=False))
        batch_op.add_column(sa.Column('must_change_password', sa.Boolean(), server_default=sa.false(), nullable=False))

    with op.batch_alter_table('classroom', schema=None) as batch_op:
        batch_op.add_column(sa.Column('archived_at', sa.DateTime(), nullable=True))

    op.create_table('sign_in',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_sign_in_user_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sign_in'))
    )
    with op.batch_alter_table('sign_in', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sign_in_user_id'), ['user_id'], unique=False)

    op.create_table('class_instructor',
    sa.Column('classroom_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('added_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['classroom_id'], ['classroom.id'], name=op.f('fk_class_instructor_classroom_id_classroom')),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_class_instructor_user_id_user')),
    sa.PrimaryKeyConstraint('classroom_id', 'user_id', name=op.f('pk_class_instructor'))
    )
    with op.batch_alter_table('class_instructor', schema=None) as batch_op:
        batch_op.create_index('ix_class_instructor_user_id', ['user_id'], unique=False)

    # The creator of each class teaches it (a creator who is no longer staff too:
    # an admin can take them off the class page).
    op.execute(
        'INSERT INTO class_instructor (classroom_id, user_id, added_at) '
        'SELECT id, created_by_id, created_at FROM classroom WHERE created_by_id IS NOT NULL'
    )
    op.execute(
        'UPDATE "user" SET role = \'admin\' WHERE id = '
        '(SELECT min(id) FROM "user" WHERE role = \'instructor\')'
    )


def downgrade():
    op.execute('UPDATE "user" SET role = \'instructor\' WHERE role = \'admin\'')
    with op.batch_alter_table('class_instructor', schema=None) as batch_op:
        batch_op.drop_index('ix_class_instructor_user_id')
    op.drop_table('class_instructor')
    with op.batch_alter_table('sign_in', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sign_in_user_id'))
    op.drop_table('sign_in')
    with op.batch_alter_table('classroom', schema=None) as batch_op:
        batch_op.drop_column('archived_at')
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_column('must_change_password')
        batch_op.drop_column('active')
