from datetime import datetime

from flask_babel import format_time
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TelField,
    TextAreaField,
    TimeField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from ..core.contact import EmailAddress, PhoneNumber
from ..core.labels import options
from ..core.reference import language_choices
from ..core.text import one_line
from ..scheduling.services import at_local, local_day
from .labels import window_label
from .models import ANSWER_LABELS, Answer
from .services import AvailabilityError, InterpreterData, check_availability

REQUIRED = _l("This field is required.")


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class InterpreterForm(FlaskForm):
    name = StringField(_l("Name"), filters=[one_line],
                       validators=[DataRequired(REQUIRED), Length(max=100)])
    languages = MultiCheckboxField(
        _l("Languages they interpret from and into Dutch"),
        validators=[DataRequired(_l("Choose at least one language."))])
    email = EmailField(_l("E-mail"), filters=[one_line],
                       validators=[Optional(), Length(max=254), EmailAddress()],
                       description=_l("The invitation and the plan are sent here."))
    phone = TelField(_l("Phone"), filters=[one_line], validators=[Optional(), PhoneNumber()])
    agency = StringField(_l("Interpreting agency"), filters=[one_line],
                         validators=[Length(max=120)],
                         description=_l("Leave empty for a volunteer."))
    certified = BooleanField(_l("Certified interpreter"))
    table_count = IntegerField(
        _l("Tables at once"), default=2,
        validators=[InputRequired(REQUIRED),
                    NumberRange(min=1, max=9, message=_l("Enter a number from 1 to 9."))],
        description=_l("How many neighbouring tables this interpreter can serve at once."))
    notes = TextAreaField(_l("Notes"), validators=[Length(max=2000)])
    active = BooleanField(_l("In the pool (uncheck to stop inviting)"), default=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.languages.choices = options(language_choices())

    def as_data(self) -> InterpreterData:
        return InterpreterData(
            name=self.name.data, languages=list(self.languages.data or []),
            email=self.email.data or "", phone=self.phone.data or "",
            agency=self.agency.data or "", certified=bool(self.certified.data),
            table_count=self.table_count.data, notes=(self.notes.data or "").strip(),
            active=bool(self.active.data))


class AnswerForm(FlaskForm):
    """Yes for the whole event or a time window, or no: for the interpreter and for staff."""

    answer = RadioField(_l("Can you interpret at this Meet & Greet?"),
                        validators=[InputRequired(_l("Choose yes or no."))])
    available_from = TimeField(
        _l("Available from"), validators=[Optional()],
        description=_l("Leave both times empty if you can stay the whole event."))
    available_until = TimeField(_l("Available until"), validators=[Optional()])

    def __init__(self, event, *args, staff: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.event = event
        self.staff = staff
        answers = [Answer.YES, Answer.NO] + ([Answer.NONE] if staff else [])
        self.answer.choices = options((answer.value, ANSWER_LABELS[answer])
                                      for answer in answers)

    def moment(self, value) -> datetime | None:
        return at_local(local_day(self.event.starts_at), value) if value else None

    def validate(self, extra_validators=None) -> bool:
        if not super().validate(extra_validators):
            return False
        if self.answer.data != Answer.YES:
            return True
        try:
            check_availability(self.event, self.moment(self.available_from.data),
                               self.moment(self.available_until.data))
        except AvailabilityError as error:
            if error.reason == "order":
                self.available_until.errors.append(
                    _l("The end must be later than the start."))
            else:
                self.available_from.errors.append(
                    _("Choose times within the event (%(start)s to %(end)s).",
                      start=format_time(self.event.starts_at, "short"),
                      end=format_time(self.event.ends_at, "short")))
            return False
        return True


class InviteForm(FlaskForm):
    interpreters = MultiCheckboxField(
        _l("Interpreters to invite"), coerce=str,
        validators=[DataRequired(_l("Choose at least one interpreter."))])


class RuleForm(FlaskForm):
    """Pin an interpreter to a stand (in a language and time window staff may choose), or
    leave them out (everywhere or at one stand).

    ``people`` maps an interpreter's ref to the interpreter and the windows they are
    available in (None: all of them); ``windows`` are the event's windows."""

    interpreter = SelectField(_l("Interpreter"), validators=[DataRequired(REQUIRED)])
    kind = RadioField(_l("What"), choices=[SelectChoice("pin", _l("Pin to this stand")),
                                           SelectChoice("exclude", _l("Keep away"))],
                      default="pin", validators=[InputRequired(REQUIRED)])
    stand = SelectField(_l("Stand"), coerce=str, validators=[Optional()],
                        description=_l("For “keep away”: leave empty to leave the interpreter "
                                       "out of the plan altogether."))
    language = SelectField(_l("Language"), validators=[Optional()],
                           description=_l("For a pin: leave empty to let the plan choose "
                                          "among their languages."))
    window = SelectField(_l("When"), validators=[Optional()])

    def __init__(self, people, stands, windows, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.people = people
        self.interpreter.choices = [SelectChoice(ref, person.name)
                                    for ref, (person, _windows) in people.items()]
        self.stand.choices = [SelectChoice("", _("Any stand"))] + [
            SelectChoice(str(number), _("Stand %(number)d", number=number)) for number in stands]
        spoken = {code for person, _windows in people.values() for code in person.language_codes}
        self.language.choices = [SelectChoice("", _("Any of their languages"))] + [
            SelectChoice(code, label) for code, label in language_choices() if code in spoken]
        self.window.choices = [SelectChoice("", _("Whenever they are there"))] + (
            [SelectChoice(window.name, window_label(window)) for window in windows]
            if len(windows) > 1 else [])

    def validate(self, extra_validators=None) -> bool:
        if not super().validate(extra_validators):
            return False
        person, available_in = self.people[self.interpreter.data]
        if self.kind.data == "pin" and not self.stand.data:
            self.stand.errors.append(_("Choose the stand to pin %(name)s to.", name=person.name))
        if self.language.data and self.language.data not in person.language_codes:
            self.language.errors.append(_("%(name)s does not interpret this language.",
                                          name=person.name))
        if self.window.data and available_in is not None and self.window.data not in available_in:
            self.window.errors.append(_("%(name)s is not available then.", name=person.name))
        return not (self.stand.errors or self.language.errors or self.window.errors)


class EmptyForm(FlaskForm):
    """Only the CSRF token: for buttons that post."""
