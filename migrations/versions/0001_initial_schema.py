"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-23 15:31:08.752252

The tables as `create_all` made them before there were migrations. A database
made then has exactly these tables; `flask
--app quizapp setup` stamps such a database with this revision and upgrades it.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('quiz',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=64), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('path', sa.String(length=500), nullable=False),
    sa.Column('ask_reason', sa.String(length=16), nullable=False),
    sa.Column('feedback', sa.String(length=16), nullable=False),
    sa.Column('speakers', sa.JSON(), nullable=False),
    sa.Column('retired_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_quiz')),
    sa.UniqueConstraint('slug', name=op.f('uq_quiz_slug'))
    )
    op.create_table('source',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=64), nullable=False),
    sa.Column('title', sa.String(length=500), nullable=False),
    sa.Column('genre', sa.String(length=32), nullable=False),
    sa.Column('publisher', sa.String(length=200), nullable=True),
    sa.Column('author', sa.String(length=200), nullable=True),
    sa.Column('date', sa.String(length=64), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_source')),
    sa.UniqueConstraint('slug', name=op.f('uq_source_slug'))
    )
    op.create_table('taxonomy_choice',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('slug', sa.String(length=64), nullable=False),
    sa.Column('label', sa.String(length=200), nullable=False),
    sa.Column('definition', sa.Text(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('retired', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_taxonomy_choice')),
    sa.UniqueConstraint('kind', 'slug', name=op.f('uq_taxonomy_choice_kind'))
    )
    op.create_table('user',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(length=64), nullable=False),
    sa.Column('password_hash', sa.String(length=256), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_user')),
    sa.UniqueConstraint('username', name=op.f('uq_user_username'))
    )
    op.create_table('attempt',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('quiz_id', sa.Integer(), nullable=False),
    sa.Column('started_at', sa.DateTime(), nullable=False),
    sa.Column('finished_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['quiz_id'], ['quiz.id'], name=op.f('fk_attempt_quiz_id_quiz')),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_attempt_user_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attempt'))
    )
    with op.batch_alter_table('attempt', schema=None) as batch_op:
        batch_op.create_index('ix_attempt_user_quiz', ['user_id', 'quiz_id'], unique=False)
        batch_op.create_index('uq_attempt_open', ['user_id', 'quiz_id'], unique=True, sqlite_where=sa.text('finished_at IS NULL'), postgresql_where=sa.text('finished_at IS NULL'))

    op.create_table('question',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('quiz_id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=64), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('retired_at', sa.DateTime(), nullable=True),
    sa.Column('current_version_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['quiz_id'], ['quiz.id'], name=op.f('fk_question_quiz_id_quiz')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_question')),
    sa.UniqueConstraint('quiz_id', 'slug', name=op.f('uq_question_quiz_id'))
    )
    op.create_table('question_version',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('source_id', sa.Integer(), nullable=False),
    sa.Column('passage', sa.Text(), nullable=False),
    sa.Column('claim_type', sa.String(length=64), nullable=False),
    sa.Column('accept', sa.JSON(), nullable=False),
    sa.Column('speaker', sa.String(length=64), nullable=False),
    sa.Column('speaker_choices', sa.JSON(), nullable=False),
    sa.Column('evidence', sa.Boolean(), nullable=False),
    sa.Column('evidence_kind', sa.String(length=64), nullable=True),
    sa.Column('explain_claim_type', sa.Text(), nullable=False),
    sa.Column('explain_speaker', sa.Text(), nullable=False),
    sa.Column('explain_evidence', sa.Text(), nullable=False),
    sa.Column('line', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['question_id'], ['question.id'], name=op.f('fk_question_version_question_id_question')),
    sa.ForeignKeyConstraint(['source_id'], ['source.id'], name=op.f('fk_question_version_source_id_source')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_question_version')),
    sa.UniqueConstraint('question_id', 'number', name=op.f('uq_question_version_question_id'))
    )
    # question and question_version point at each other: the second link is
    # added once both tables exist (ALTER TABLE on PostgreSQL, a copy on SQLite).
    with op.batch_alter_table('question', schema=None) as batch_op:
        batch_op.create_foreign_key(
            op.f('fk_question_current_version_id_question_version'), 'question_version', ['current_version_id'], ['id']
        )

    op.create_table('answer',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('attempt_id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('question_version_id', sa.Integer(), nullable=False),
    sa.Column('claim_type', sa.String(length=64), nullable=False),
    sa.Column('speaker', sa.String(length=64), nullable=False),
    sa.Column('evidence', sa.Boolean(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('claim_type_score', sa.Double(), nullable=False),
    sa.Column('speaker_score', sa.Double(), nullable=False),
    sa.Column('evidence_score', sa.Double(), nullable=False),
    sa.Column('answered_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['attempt_id'], ['attempt.id'], name=op.f('fk_answer_attempt_id_attempt')),
    sa.ForeignKeyConstraint(['question_id'], ['question.id'], name=op.f('fk_answer_question_id_question')),
    sa.ForeignKeyConstraint(['question_version_id'], ['question_version.id'], name=op.f('fk_answer_question_version_id_question_version')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_answer')),
    sa.UniqueConstraint('attempt_id', 'question_id', name=op.f('uq_answer_attempt_id'))
    )
    with op.batch_alter_table('answer', schema=None) as batch_op:
        batch_op.create_index('ix_answer_question_version', ['question_version_id'], unique=False)



def downgrade():
    with op.batch_alter_table('answer', schema=None) as batch_op:
        batch_op.drop_index('ix_answer_question_version')

    op.drop_table('answer')
    with op.batch_alter_table('question', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('fk_question_current_version_id_question_version'), type_='foreignkey')

    op.drop_table('question_version')
    op.drop_table('question')
    with op.batch_alter_table('attempt', schema=None) as batch_op:
        batch_op.drop_index('uq_attempt_open', sqlite_where=sa.text('finished_at IS NULL'), postgresql_where=sa.text('finished_at IS NULL'))
        batch_op.drop_index('ix_attempt_user_quiz')

    op.drop_table('attempt')
    op.drop_table('user')
    op.drop_table('taxonomy_choice')
    op.drop_table('source')
    op.drop_table('quiz')
