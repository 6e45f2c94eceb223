"""quiz file fingerprints, so a sync skips files unchanged since they last synced

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23 18:10:47.000000

A nullable column: existing quizzes start without a fingerprint, so the first
sync after the upgrade validates every file (as before) and stores them.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('quiz', schema=None) as batch_op:
        batch_op.add_column(sa.Column('file_fingerprint', sa.String(length=64), nullable=True))


def downgrade():
    with op.batch_alter_table('quiz', schema=None) as batch_op:
        batch_op.drop_column('file_fingerprint')
