"""whose side each source presents, and an explicit order for the quiz list

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03 14:00:00.000000

Two nullable columns: `source.presents` (sources.yaml `presents`, shown beside
every passage) and `quiz.position` (a quiz file's `position`, which orders the
quiz list). Existing rows start without them, and the quiz list falls back to
ordering by title until the next sync fills them in from the files. So that it
does, the stored quiz file fingerprints are cleared: a sync skips a file whose
fingerprint still matches (0005), and would then never read its `position`.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('source', schema=None) as batch_op:
        batch_op.add_column(sa.Column('presents', sa.String(length=200), nullable=True))
    with op.batch_alter_table('quiz', schema=None) as batch_op:
        batch_op.add_column(sa.Column('position', sa.Integer(), nullable=True))
    op.execute(sa.text('UPDATE quiz SET file_fingerprint = NULL'))


def downgrade():
    with op.batch_alter_table('quiz', schema=None) as batch_op:
        batch_op.drop_column('position')
    with op.batch_alter_table('source', schema=None) as batch_op:
        batch_op.drop_column('presents')
