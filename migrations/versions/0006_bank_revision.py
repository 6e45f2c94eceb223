"""bank revision stamp, so server processes can keep what they read of the bank

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23 18:40:00.000000

One row whose stamp changes with every change to the question bank. The row is
written here with a first stamp, so that an upgraded database whose bank does
not change for a while still lets server processes keep what they read.
"""
import uuid

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    table = op.create_table('bank_revision',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('stamp', sa.String(length=32), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bank_revision'))
    )
    op.bulk_insert(table, [{'id': 1, 'stamp': uuid.uuid4().hex}])


def downgrade():
    op.drop_table('bank_revision')
