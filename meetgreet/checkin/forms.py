from flask_babel import format_date
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length


class UndoForm(FlaskForm):
    reason = TextAreaField(
        _l("Why is this check-in undone?"), validators=[DataRequired(), Length(max=500)],
        description=_l("For example: scanned the wrong ticket. Kept in the check-in log."))


class DeviceForm(FlaskForm):
    label = StringField(
        _l("Device name"), validators=[DataRequired(), Length(max=60)],
        description=_l("Shown to the other doors, e.g. \"door 2\" or \"tablet entrance\"."))
    event = SelectField(
        _l("For which event"), choices=[], default="",
        description=_l("A token for one event cannot check in for any other event: safer for "
                       "a borrowed device."))

    def set_events(self, events) -> None:
        """The choices: every event (no limit), or one of `events`."""
        self.event.choices = [("", _l("Every event"))] + [
            (str(event.id), f"{format_date(event.starts_at, 'medium')} · {event.title}")
            for event in events]
