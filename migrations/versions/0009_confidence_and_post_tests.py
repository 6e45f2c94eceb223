"""confidence with each answer, and quiz settings for confidence and pre/post tests

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-04 10:00:00.000000

answer.confidence: how sure the student said they were, as the stated chance of
being right in percent (50, 75 or 90); NULL for every answer given before, and
for quizzes that do not ask. quiz.confidence ("off" or "ask", "off" for every
existing quiz) and quiz.post_test_of (the slug of the quiz it follows) come from
the quiz files on the next sync. The covering index of answers per attempt gains the confidence
column, so the learning pages read it without the answer rows; rebuilding it
reads every answer once (a few seconds for a hundred thousand answers).
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


ATTEMPT_CHOICES = ['attempt_id', 'question_id', 'question_version_id', 'claim_type', 'speaker', 'evidence', 'claim_type_score', 'speaker_score', 'evidence_score']


def upgrade():
    with op.batch_alter_table('answer', schema=None) as batch_op:
        batch_op.add_column(sa.Column('confidence', sa.SmallInteger(), nullable=True))
        batch_op.drop_index('ix_answer_attempt_choices')
        batch_op.create_index('ix_answer_attempt_choices', ATTEMPT_CHOICES + ['confidence'], unique=False)

    with op.batch_alter_table('quiz', schema=None) as batch_op:
        batch_op.add_column(sa.Column('confidence', sa.String(length=16), server_default='off', nullable=False))
        batch_op.add_column(sa.Column('post_test_of', sa.String(length=64), nullable=True))


def downgrade():
    with op.batch_alter_table('quiz', schema=None) as batch_op:
        batch_op.drop_column('post_test_of')
        batch_op.drop_column('confidence')

    with op.batch_alter_table('answer', schema=None) as batch_op:
        batch_op.drop_index('ix_answer_attempt_choices')
        batch_op.create_index('ix_answer_attempt_choices', ATTEMPT_CHOICES, unique=False)
        batch_op.drop_column('confidence')
