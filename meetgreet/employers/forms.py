import re
from urllib.parse import urlsplit

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    FieldList,
    Form,
    FormField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TelField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)
from wtforms.widgets import CheckboxInput, ListWidget

from ..core.contact import EmailAddress, PhoneNumber
from ..core.labels import options
from ..core.reference import DUTCH_LEVELS, SECTORS, language_choices
from ..core.text import one_line
from .services import ReservationData, VacancyData

MAX_VACANCIES = 3
KVK_PATTERN = re.compile(r"^\d{8}$")
REQUIRED = _l("This field is required.")


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def _stripped(value):
    return value.strip() if isinstance(value, str) else value


class KvkNumber:
    """Eight digits; spaces and dots people type from letterheads are dropped.

    The KvK number has no public check digit, so the format is all we can check.
    """

    def __call__(self, form, field):
        digits = re.sub(r"[\s.]", "", field.data or "")
        if not KVK_PATTERN.match(digits):
            raise ValidationError(_l("A KvK number has 8 digits, like 12345678."))
        field.data = digits


class Website:
    """A web address; "www.example.nl" becomes "https://www.example.nl"."""

    def __call__(self, form, field):
        if not field.data:
            return
        value = field.data if "://" in field.data else f"https://{field.data}"
        parts = urlsplit(value)
        if (parts.scheme not in ("http", "https") or "." not in parts.netloc
                or " " in value or len(value) > 200):
            raise ValidationError(_l("Enter a web address, like www.example.nl."))
        field.data = value


class VacancyForm(Form):
    """One vacancy; left empty when the title is empty."""

    title = StringField(_l("Job title"), filters=[one_line], validators=[Length(max=120)])
    sector = SelectField(_l("Sector"), choices=options(SECTORS), default=SECTORS[0][0])
    hours_per_week = IntegerField(_l("Hours per week"),
                                  validators=[Optional(), NumberRange(min=1, max=60)])
    location = StringField(_l("Place of work"), filters=[one_line],
                           validators=[Length(max=80)])
    dutch_level = SelectField(_l("Dutch level needed"), choices=options(DUTCH_LEVELS),
                              default="none")
    route_possible = BooleanField(_l("A training or internship route into this job is possible"))
    description = TextAreaField(_l("Short description"), filters=[_stripped],
                                validators=[Length(max=600)])

    def validate_title(self, field):
        if not field.data and any([self.location.data, self.description.data,
                                   self.hours_per_week.data]):
            raise ValidationError(_l("Give the vacancy a title, or leave it empty."))

    def as_data(self) -> VacancyData | None:
        if not self.title.data:
            return None
        return VacancyData(
            title=self.title.data, sector=self.sector.data,
            hours_per_week=self.hours_per_week.data, location=self.location.data or "",
            dutch_level=self.dutch_level.data, route_possible=self.route_possible.data,
            description=self.description.data or "",
        )


class StandDetailsForm(FlaskForm):
    """What an employer may change later through the manage link."""

    representatives = IntegerField(_l("Number of representatives"),
                                   validators=[InputRequired(message=REQUIRED)])
    languages = MultiCheckboxField(_l("Languages your representatives speak"),
                                   validators=[Optional()])
    interpreter_languages = MultiCheckboxField(
        _l("Languages you would like an interpreter for"), validators=[Optional()])
    remarks = TextAreaField(
        _l("Remarks"), filters=[_stripped], validators=[Length(max=1000)],
        description=_l("For example: a power socket, wheelchair access, a large banner."),
    )
    vacancies = FieldList(FormField(VacancyForm), min_entries=MAX_VACANCIES,
                          max_entries=MAX_VACANCIES)

    def __init__(self, *args, max_representatives: int = 3, **kwargs):
        super().__init__(*args, **kwargs)
        self.max_representatives = max_representatives
        self.representatives.validators = [
            InputRequired(message=REQUIRED),
            NumberRange(min=1, max=max_representatives,
                        message=_l("Choose between %(min)s and %(max)s representatives.")),
        ]
        self.representatives.description = _l(
            "At most %(max)s per stand.", max=max_representatives)
        choices = options(language_choices())
        self.languages.choices = choices
        self.interpreter_languages.choices = choices

    def vacancy_data(self) -> list[VacancyData]:
        return [data for entry in self.vacancies.entries if (data := entry.form.as_data())]


class ReservationForm(StandDetailsForm):
    organisation_name = StringField(_l("Organisation name"), filters=[one_line],
                                    validators=[DataRequired(message=REQUIRED), Length(max=120)])
    kvk_number = StringField(_l("KvK number"), validators=[DataRequired(message=REQUIRED),
                                                           Length(max=20), KvkNumber()],
                             description=_l("The 8 digits from the Chamber of Commerce."))
    sector = SelectField(_l("Sector"), choices=options(SECTORS))
    website = StringField(_l("Website"), filters=[one_line],
                          validators=[Optional(), Length(max=200), Website()])
    town = StringField(_l("Town"), filters=[one_line],
                       validators=[DataRequired(message=REQUIRED), Length(max=80)])
    contact_name = StringField(_l("Your name"), filters=[one_line],
                               validators=[DataRequired(message=REQUIRED), Length(max=100)])
    contact_email = EmailField(_l("Your e-mail address"),
                               validators=[DataRequired(message=REQUIRED), Length(max=254),
                                           EmailAddress()])
    contact_phone = TelField(_l("Your phone number"),
                             validators=[DataRequired(message=REQUIRED), Length(max=30),
                                         PhoneNumber()])
    locale = RadioField(_l("Language of our e-mails to you"),
                        choices=options([("nl", "Nederlands"), ("en", "English")]), default="nl")

    def as_data(self) -> ReservationData:
        return ReservationData(
            organisation_name=self.organisation_name.data, kvk_number=self.kvk_number.data,
            sector=self.sector.data, website=self.website.data or "", town=self.town.data,
            contact_name=self.contact_name.data, contact_email=self.contact_email.data,
            contact_phone=self.contact_phone.data,
            representatives=self.representatives.data, languages=self.languages.data or [],
            interpreter_languages=self.interpreter_languages.data or [],
            remarks=self.remarks.data or "", locale=self.locale.data,
            vacancies=self.vacancy_data(),
        )


class CancelForm(FlaskForm):
    pass


class LinkRequestForm(FlaskForm):
    email = EmailField(_l("Your e-mail address"),
                       validators=[DataRequired(message=REQUIRED), Length(max=254),
                                   EmailAddress()])


class DeclineForm(FlaskForm):
    reason = TextAreaField(_l("Reason, sent to the employer"), filters=[_stripped],
                           validators=[DataRequired(message=REQUIRED), Length(max=1000)])
