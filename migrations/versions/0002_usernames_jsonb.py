"""case-insensitive unique usernames; jsonb on PostgreSQL

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 15:32:42.062496

Usernames were unique only as typed, so 'Ada' and 'ada' signing up at the same
moment could both succeed. Each user now has a username_key, the name folded
by Python (models.username_key), unique on every database.

On PostgreSQL the JSON columns become jsonb, which (unlike json) can be
compared, so queries that need equality on whole rows work there as they do
on SQLite. SQLite keeps its JSON text as it is.
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None

JSON_COLUMNS = (('quiz', 'speakers'), ('question_version', 'accept'), ('question_version', 'speaker_choices'))


def upgrade():
    connection = op.get_bind()
    users = sa.table('user', sa.column('id', sa.Integer), sa.column('username', sa.String),
                     sa.column('username_key', sa.String))
    keys = {}
    for user_id, username in connection.execute(sa.select(users.c.id, users.c.username)):
        keys.setdefault(username.lower(), []).append(username)  # as models.username_key folds it
    clashes = sorted(key for key, names in keys.items() if len(names) > 1)
    if clashes:
        # RuntimeError is what `flask db upgrade` and `setup` report as a plain message.
        raise RuntimeError(
            "Some usernames differ only in case: " + ", ".join(clashes)
            + ". Rename one of each (UPDATE \"user\" SET username = ... WHERE id = ...), then upgrade again."
        )

    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('username_key', sa.String(length=64), nullable=True))
    for user_id, username in connection.execute(sa.select(users.c.id, users.c.username)).all():
        connection.execute(users.update().where(users.c.id == user_id).values(username_key=username.lower()))
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.alter_column('username_key', existing_type=sa.String(length=64), nullable=False)
        batch_op.create_unique_constraint(batch_op.f('uq_user_username_key'), ['username_key'])

    if connection.dialect.name == 'postgresql':
        for table, column in JSON_COLUMNS:
            op.alter_column(
                table, column, type_=postgresql.JSONB(), existing_type=postgresql.JSON(),
                existing_nullable=False, postgresql_using=f'{column}::jsonb',
            )


def downgrade():
    if op.get_bind().dialect.name == 'postgresql':
        for table, column in JSON_COLUMNS:
            op.alter_column(
                table, column, type_=postgresql.JSON(), existing_type=postgresql.JSONB(),
                existing_nullable=False, postgresql_using=f'{column}::json',
            )
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_user_username_key'), type_='unique')
        batch_op.drop_column('username_key')
