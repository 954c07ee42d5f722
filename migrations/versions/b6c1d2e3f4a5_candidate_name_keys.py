"""candidate name keys for the duplicate check

Revision ID: b6c1d2e3f4a5
Revises: fe374820b4ed
Create Date: 2026-11-22 19:45:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b6c1d2e3f4a5'
down_revision = 'fe374820b4ed'
branch_labels = None
depends_on = None


def _fold(text):
    # As meetgreet.candidates.models.name_key on the day of this migration.
    return " ".join((text or "").casefold().split())


def upgrade():
    with op.batch_alter_table('candidate', schema=None) as batch_op:
        batch_op.add_column(sa.Column('name_key', sa.Text(), server_default='', nullable=False))
        batch_op.add_column(sa.Column('latin_key', sa.Text(), server_default='', nullable=False))
        batch_op.create_index(batch_op.f('ix_candidate_name_key'), ['name_key'], unique=False)
        batch_op.create_index(batch_op.f('ix_candidate_latin_key'), ['latin_key'], unique=False)

    candidate = sa.table('candidate', sa.column('id'), sa.column('first_name'),
                         sa.column('last_name'), sa.column('latin_name'),
                         sa.column('name_key'), sa.column('latin_key'))
    connection = op.get_bind()
    rows = connection.execute(sa.select(candidate.c.id, candidate.c.first_name,
                                        candidate.c.last_name, candidate.c.latin_name)).all()
    for row in rows:
        connection.execute(candidate.update().where(candidate.c.id == row.id).values(
            name_key=_fold(f"{row.first_name} {row.last_name}"),
            latin_key=_fold(row.latin_name)))


def downgrade():
    with op.batch_alter_table('candidate', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_candidate_latin_key'))
        batch_op.drop_index(batch_op.f('ix_candidate_name_key'))
        batch_op.drop_column('latin_key')
        batch_op.drop_column('name_key')
