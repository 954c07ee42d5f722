from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired

from .erasure import ERASURE_REASONS

REASON_LABELS = dict(zip(ERASURE_REASONS, (
    _l("The person asked for it"),
    _l("The person objects to the processing"),
    _l("The data should not have been kept"),
    _l("Another legal reason"),
), strict=True))


class ErasureRequestForm(FlaskForm):
    """The candidate confirms with the button; the CSRF token is the only field."""


class StaffErasureForm(FlaskForm):
    reason = SelectField(
        _l("Reason"),
        choices=[SelectChoice("", _l("Choose a reason"))]
        + [SelectChoice(code, label) for code, label in REASON_LABELS.items()],
        validators=[DataRequired(message=_l("Choose why the data is erased."))],
        description=_l("Recorded in the audit trail, without the person's name."),
    )
    confirm = BooleanField(
        _l("I understand that this cannot be undone."),
        validators=[DataRequired(message=_l("Tick the box to confirm."))],
    )
