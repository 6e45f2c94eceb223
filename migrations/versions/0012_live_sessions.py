"""live class sessions, and attempts given in them

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-03 16:00:00.000000

`live_session`: an instructor takes a class through a quiz one passage at a
time; at most one runs per class (a partial unique index on the running ones).
`live_pick`: the students' reasons the instructor chose to show on the projector.
`attempt.live_session_id` marks an attempt given in a session, one per student
and session. Such attempts may be open beside a student's own attempt at the
same quiz, so `uq_attempt_open` (one unfinished attempt per student and quiz)
now leaves them out. It is dropped before the batch operation and made again
after it: on SQLite the batch copies the table, and the copy's indexes are
made from what SQLite reports of them, which would not say which rows count.
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql


# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None

OPEN_BEFORE = 'finished_at IS NULL'
OPEN_OWN_PACE = 'finished_at IS NULL AND live_session_id IS NULL'


def _json():
    return sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql')


def upgrade():
    op.create_table('live_session',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=8), nullable=False),
    sa.Column('quiz_id', sa.Integer(), nullable=False),
    sa.Column('classroom_id', sa.Integer(), nullable=False),
    sa.Column('started_by_id', sa.Integer(), nullable=False),
    sa.Column('question_ids', _json(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('revealed_at', sa.DateTime(), nullable=True),
    sa.Column('started_at', sa.DateTime(), nullable=False),
    sa.Column('ended_at', sa.DateTime(), nullable=True),
    sa.Column('stage', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['classroom_id'], ['classroom.id'], name=op.f('fk_live_session_classroom_id_classroom')),
    sa.ForeignKeyConstraint(['quiz_id'], ['quiz.id'], name=op.f('fk_live_session_quiz_id_quiz')),
    sa.ForeignKeyConstraint(['started_by_id'], ['user.id'], name=op.f('fk_live_session_started_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_live_session')),
    sa.UniqueConstraint('code', name=op.f('uq_live_session_code'))
    )
    with op.batch_alter_table('live_session', schema=None) as batch_op:
        batch_op.create_index('uq_live_session_running', ['classroom_id'], unique=True, sqlite_where=sa.text('ended_at IS NULL'), postgresql_where=sa.text('ended_at IS NULL'))

    with op.batch_alter_table('attempt', schema=None) as batch_op:
        batch_op.drop_index('uq_attempt_open', sqlite_where=sa.text(OPEN_BEFORE), postgresql_where=sa.text(OPEN_BEFORE))
    with op.batch_alter_table('attempt', schema=None) as batch_op:
        batch_op.add_column(sa.Column('live_session_id', sa.Integer(), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_attempt_live_session_id'), ['live_session_id', 'user_id'])
        batch_op.create_foreign_key(batch_op.f('fk_attempt_live_session_id_live_session'), 'live_session', ['live_session_id'], ['id'])
    with op.batch_alter_table('attempt', schema=None) as batch_op:
        batch_op.create_index('uq_attempt_open', ['user_id', 'quiz_id'], unique=True, sqlite_where=sa.text(OPEN_OWN_PACE), postgresql_where=sa.text(OPEN_OWN_PACE))

    op.create_table('live_pick',
    sa.Column('live_session_id', sa.Integer(), nullable=False),
    sa.Column('answer_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['answer_id'], ['answer.id'], name=op.f('fk_live_pick_answer_id_answer')),
    sa.ForeignKeyConstraint(['live_session_id'], ['live_session.id'], name=op.f('fk_live_pick_live_session_id_live_session')),
    sa.PrimaryKeyConstraint('live_session_id', 'answer_id', name=op.f('pk_live_pick'))
    )


def downgrade():
    # Attempts given live become ordinary ones; a student with an unfinished live
    # attempt beside an unfinished attempt of their own would break the old index,
    # so unfinished live attempts are finished first.
    op.execute(sa.text("UPDATE attempt SET finished_at = started_at WHERE live_session_id IS NOT NULL AND finished_at IS NULL"))
    op.drop_table('live_pick')
    with op.batch_alter_table('attempt', schema=None) as batch_op:
        batch_op.drop_index('uq_attempt_open', sqlite_where=sa.text(OPEN_OWN_PACE), postgresql_where=sa.text(OPEN_OWN_PACE))
    with op.batch_alter_table('attempt', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_attempt_live_session_id_live_session'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('uq_attempt_live_session_id'), type_='unique')
        batch_op.drop_column('live_session_id')
    with op.batch_alter_table('attempt', schema=None) as batch_op:
        batch_op.create_index('uq_attempt_open', ['user_id', 'quiz_id'], unique=True, sqlite_where=sa.text(OPEN_BEFORE), postgresql_where=sa.text(OPEN_BEFORE))

    with op.batch_alter_table('live_session', schema=None) as batch_op:
        batch_op.drop_index('uq_live_session_running', sqlite_where=sa.text('ended_at IS NULL'), postgresql_where=sa.text('ended_at IS NULL'))
    op.drop_table('live_session')
