"""passages in their sources: source texts, where each passage sits, cue words, relayed speech, quiz context setting

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-04 09:00:00.000000

- source_text: a source's text file as a sync read it (a new row when the file
  changes), so that a page can show a passage inside it.
- question_version: the text it was synced against and where each piece of the
  passage sits in it (source_text_id, source_spans), the cue words per part
  (cues), and who relays the keyed speaker's words (relayed_by). All nullable:
  existing versions have none until the next sync fills in the current ones
  (this release changes the validation rules, so that sync reads every file).
- quiz.context: where students get the link to the passage in its source;
  existing quizzes get "always", the default of a file that does not say.
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql')


def upgrade():
    op.create_table('source_text',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('source_id', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['source_id'], ['source.id'], name=op.f('fk_source_text_source_id_source')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_source_text')),
    sa.UniqueConstraint('source_id', 'sha256', name=op.f('uq_source_text_source_id'))
    )
    with op.batch_alter_table('question_version', schema=None) as batch_op:
        batch_op.add_column(sa.Column('source_text_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('source_spans', JSON, nullable=True))
        batch_op.add_column(sa.Column('cues', JSON, nullable=True))
        batch_op.add_column(sa.Column('relayed_by', sa.String(length=64), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_question_version_source_text_id_source_text'), 'source_text', ['source_text_id'], ['id'])
    with op.batch_alter_table('quiz', schema=None) as batch_op:
        batch_op.add_column(sa.Column('context', sa.String(length=16), server_default='always', nullable=False))


def downgrade():
    with op.batch_alter_table('quiz', schema=None) as batch_op:
        batch_op.drop_column('context')
    with op.batch_alter_table('question_version', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_question_version_source_text_id_source_text'), type_='foreignkey')
        batch_op.drop_column('relayed_by')
        batch_op.drop_column('cues')
        batch_op.drop_column('source_spans')
        batch_op.drop_column('source_text_id')
    op.drop_table('source_text')
