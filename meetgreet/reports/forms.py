from flask_babel import lazy_gettext as _l
from wtforms import DateField, Form, IntegerField, SelectField, StringField
from wtforms.validators import Length, NumberRange, Optional, ValidationError

from ..core.labels import options
from ..core.reference import DUTCH_LEVELS, SECTORS


class PeriodForm(Form):
    """A GET form (nothing changes): one event, or every event in a period."""

    event = SelectField(_l("Event"), choices=[], validate_choice=False)
    start = DateField(_l("From"), validators=[Optional()])
    end = DateField(_l("Until"), validators=[Optional()])

    def validate_end(self, field):
        if field.data and self.start.data and field.data < self.start.data:
            raise ValidationError(_l("The end of the period lies before its start."))


class GroupForm(Form):
    """Find people with the same wishes or experience, for a group programme."""

    sector = SelectField(_l("Sector they want to work in"),
                         choices=options([("", _l("Any")), *SECTORS]), validate_choice=False)
    dutch_level = SelectField(_l("Dutch at least"),
                              choices=options([("", _l("Any")), *DUTCH_LEVELS[1:]]),
                              validate_choice=False)
    experience = StringField(_l("Experience contains"),
                             description=_l("For example kapper, or several words with a "
                                            "comma: kapper, hairdresser."),
                             validators=[Optional(), Length(max=100)])
    minimum = IntegerField(_l("Smallest group worth a programme"), default=8,
                           validators=[Optional(), NumberRange(min=1, max=500)])
