from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from ..core.labels import options
from .models import (
    CONTRACT_TYPES,
    INTEREST_LABELS,
    NEXT_STEP_LABELS,
    NOTE_MAX,
    OUTCOME_LABELS,
    RECORDED_BY_LABELS,
    RecordedBy,
)
from .services import CONTRACT_HOURS_MAX

REQUIRED = _l("Please fill this in.")



def _choices(labels: dict) -> list[SelectChoice]:
    return options((member.value, label) for member, label in labels.items())


class ConversationForm(FlaskForm):
    """At the stand, on a phone: who (badge code or the list), how interested, what next."""

    code = StringField(
        _l("Code on the badge"),
        description=_l("Type the code under the QR code, or scan it with a scanner."),
        validators=[Optional(), Length(max=60)])
    candidate = SelectField(_l("Or choose from the people who came"), choices=[],
                            validate_choice=False)
    interest = RadioField(_l("Interest"), choices=_choices(INTEREST_LABELS),
                          validators=[DataRequired(message=_l("Please choose one."))])
    next_step = SelectField(_l("Next step"), choices=_choices(NEXT_STEP_LABELS), default="none")
    note = TextAreaField(
        _l("Note"), description=_l("Short, at most 500 characters. No contact details."),
        validators=[Optional(), Length(max=NOTE_MAX)])

    def __init__(self, *args, people: list[tuple[str, str]] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.candidate.choices = options([("", _l("(choose)")), *people])
        self._refs = {value for value, _ in people}

    def validate_candidate(self, field):
        if field.data and field.data not in self._refs:
            raise ValidationError(_l("Please choose someone from the list."))
        if not field.data and not (self.code.data or "").strip():
            raise ValidationError(_l("Enter the badge code or choose someone from the list."))


class StaffConversationForm(ConversationForm):
    stand = SelectField(_l("Stand"), coerce=int, choices=[],
                        validators=[DataRequired(message=_l("Please choose one."))])
    recorded_by = SelectField(
        _l("Recorded by"),
        choices=options((m.value, label) for m, label in RECORDED_BY_LABELS.items()
                        if m is not RecordedBy.EMPLOYER),
        default=RecordedBy.STAFF.value)


class FollowUpForm(FlaskForm):
    owner = SelectField(_l("Owner at the WSP"), coerce=int, choices=[],
                        validators=[DataRequired(message=_l("Please choose one."))])
    due_on = DateField(_l("Due date"), validators=[DataRequired(message=REQUIRED)])
    action = StringField(_l("What to do"), validators=[Optional(), Length(max=200)])


def _id_or_none(value) -> int | None:
    """A chosen staff id; anything else is "nothing chosen", a field error, never a crash."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class AssignFollowUpsForm(FlaskForm):
    """Several follow-ups of the list (ticked) to one owner."""

    follow_ups = SelectMultipleField(_l("Follow-ups"), choices=[], validate_choice=False)
    owner = SelectField(_l("New owner"), coerce=_id_or_none, choices=[], validate_choice=False,
                        validators=[DataRequired(message=_l("Please choose one."))])


class FollowUpDoneForm(FlaskForm):
    result = TextAreaField(_l("Result"), validators=[Optional(), Length(max=NOTE_MAX)])


class OutcomeForm(FlaskForm):
    kind = SelectField(_l("What happened"), choices=_choices(OUTCOME_LABELS))
    happened_on = DateField(_l("Date"), validators=[DataRequired(message=REQUIRED)])
    contract_hours = IntegerField(
        _l("Hours per week"), description=_l("For a contract."),
        validators=[Optional(), NumberRange(min=1, max=CONTRACT_HOURS_MAX)])
    contract_type = SelectField(_l("Kind of contract"),
                                choices=options([("", _l("(not a contract)")), *CONTRACT_TYPES]),
                                validate_choice=False)  # the rule checks it, per kind
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=NOTE_MAX)])
