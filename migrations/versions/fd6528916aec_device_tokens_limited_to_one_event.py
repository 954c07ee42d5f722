"""Device tokens limited to one event

Revision ID: fd6528916aec
Revises: 3d5930baee07
Create Date: 2026-11-22 16:06:11.277145

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'fd6528916aec'
down_revision = '3d5930baee07'
branch_labels = None
depends_on = None


def upgrade():
    # Existing tokens keep working for every event (NULL = not limited).
    with op.batch_alter_table('check_in_device', schema=None) as batch_op:
        batch_op.add_column(sa.Column('event_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_check_in_device_event_id_event'), 'event',
                                    ['event_id'], ['id'], ondelete='CASCADE')


def downgrade():
    with op.batch_alter_table('check_in_device', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_check_in_device_event_id_event'),
                                 type_='foreignkey')
        batch_op.drop_column('event_id')
