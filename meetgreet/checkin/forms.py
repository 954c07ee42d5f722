from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length


class UndoForm(FlaskForm):
    reason = TextAreaField(
        _l("Why is this check-in undone?"), validators=[DataRequired(), Length(max=500)],
        description=_l("For example: scanned the wrong ticket. Kept in the check-in log."))


class DeviceForm(FlaskForm):
    label = StringField(
        _l("Device name"), validators=[DataRequired(), Length(max=60)],
        description=_l("Shown to the other doors, e.g. \"door 2\" or \"tablet entrance\"."))
