import unicodedata

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import (
    BooleanField,
    EmailField,
    Field,
    SelectField,
    SelectMultipleField,
    StringField,
    TelField,
    TextAreaField,
)
from wtforms.utils import unset_value
from wtforms.validators import DataRequired, Length, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from ..core.contact import EmailAddress, PhoneNumber
from ..core.labels import options
from ..core.reference import DUTCH_LEVELS, LANGUAGES, SECTORS, language_choices
from ..core.text import one_line
from .models import EDUCATION_LEVELS, LANGUAGE_LEVEL_CODES, LANGUAGE_LEVELS
from .services import CandidateDetails

MAX_NAME = 100
NAME_PUNCTUATION = frozenset(" -'’ʼ.")
YES_NO = (("no", _l("No")), ("yes", _l("Yes")))



def name_problem(text: str) -> str | None:
    """Why a name cannot be stored as it is, or None. Any script, but one per name."""
    if not text.strip():
        return _l("Enter a name (not only spaces).")
    if len(text) > MAX_NAME:
        return _l("A name can have at most %(count)d characters.", count=MAX_NAME)
    scripts = set()
    for char in text:
        category = unicodedata.category(char)
        if category in ("So", "Sk", "Cs", "Co") or char in "\u200d\ufe0f" or ord(char) >= 0x1F000:
            return _l("A name cannot contain emoji or symbols.")
        if category.startswith("L"):
            scripts.add(unicodedata.name(char, "?").split(" ")[0])
        elif not (category.startswith("M") or char in NAME_PUNCTUATION):
            return _l("Use only letters, spaces, hyphens and apostrophes.")
    if len(scripts) > 1:
        return _l("Write the name in one alphabet. "
                  "The name in Latin letters has its own field.")
    return None


class Name:
    def __call__(self, form, field):
        problem = name_problem(field.data or "")
        if problem:
            raise ValidationError(problem)


def latin_name_problem(text: str):
    """Why `text` is not a name in Latin letters (None when it is, or empty)."""
    if not text:
        return None
    problem = name_problem(text)
    if problem is None and not all(
        unicodedata.name(char, "?").startswith("LATIN") for char in text if char.isalpha()
    ):
        problem = _l("Use Latin letters only (a-z), as in a passport.")
    return problem


class LatinName:
    def __call__(self, form, field):
        problem = latin_name_problem(field.data)
        if problem:
            raise ValidationError(problem)


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class LanguageLevelsField(Field):
    """For each language a level; posted as `<name>-<code>=<level>`, empty = not spoken."""

    def process(self, formdata, data=unset_value, extra_filters=None):
        self.process_errors = []
        self.raw_data = []
        self.object_data = data
        self.data = dict(data) if data not in (unset_value, None) else {}
        self.unknown = []
        if formdata:
            prefix = f"{self.name}-"
            self.data = {}
            for key in formdata:
                if not key.startswith(prefix):
                    continue
                code, level = key[len(prefix):], formdata.get(key, "")
                if not level:
                    continue
                if code in LANGUAGES and level in LANGUAGE_LEVEL_CODES:
                    self.data[code] = level
                else:
                    self.unknown.append(code)

    def pre_validate(self, form):
        if self.unknown:
            raise ValidationError(_l("Choose languages and levels from the list."))

    @property
    def levels(self):
        return LANGUAGE_LEVELS

    @property
    def languages(self):
        return language_choices()


class ProfileForm(FlaskForm):
    """What a candidate may change later through their personal link."""

    languages = LanguageLevelsField(
        _l("Languages you speak"),
        description=_l("So we can bring interpreters and employers who speak your language."),
    )
    dutch_level = SelectField(
        _l("Your Dutch"), choices=options(DUTCH_LEVELS),
        description=_l("Employers ask for it; it also tells us if you need an interpreter."),
    )
    needs_interpreter = SelectField(
        _l("Do you need an interpreter?"), choices=options(YES_NO),
        description=_l("So an interpreter is ready for you at the stands."),
    )
    sectors = MultiCheckboxField(
        _l("Work you are interested in"), choices=options(SECTORS),
        description=_l("So you can find the right employers quickly."),
    )
    experience = TextAreaField(
        _l("Your work experience, in a few words"),
        validators=[Optional(), Length(max=500)], filters=[one_line],
        description=_l("Employers like to know what you did before. Optional."),
    )

    def validate_languages(self, field):
        if field.data and not field.unknown and len(field.data) > 8:
            raise ValidationError(_l("Choose at most 8 languages."))


class RegistrationForm(ProfileForm):
    first_name = StringField(
        _l("First name"), validators=[Name()], filters=[one_line],
        description=_l("In your own alphabet, so we can greet you and print your badge."),
    )
    last_name = StringField(
        _l("Last name"), validators=[Name()], filters=[one_line],
        description=_l("With your first name, so we can find you at the door."),
    )
    latin_name = StringField(
        _l("Your name in Latin letters (optional)"), validators=[LatinName()], filters=[one_line],
        description=_l("As in your passport, so employers can read it. "
                       "Leave empty and we fill it in for you."),
    )
    phone = TelField(
        _l("Mobile number"), validators=[Optional(), Length(max=30), PhoneNumber()],
        filters=[one_line],
        description=_l("So we can reach you about this event. Mobile or e-mail is needed."),
    )
    email = EmailField(
        _l("E-mail address"), validators=[Optional(), Length(max=254), EmailAddress()],
        filters=[one_line], description=_l("We send your ticket with the QR code here."),
    )
    education_level = SelectField(
        _l("Your highest education"),
        choices=options([("", _l("I prefer not to say")), *EDUCATION_LEVELS]),
        description=_l("Some jobs ask for a level. Optional."),
    )
    diplomas_evaluated = SelectField(
        _l("Were your foreign diplomas evaluated in the Netherlands?"),
        choices=options((("unknown", _l("I don't know")), ("no", _l("No")),
                         ("yes", _l("Yes")))),
        description=_l("An evaluated diploma opens more jobs; we can help with it."),
    )
    municipality = StringField(
        _l("Municipality where you live"), validators=[Optional(), Length(max=80)],
        filters=[one_line],
        description=_l("Your municipality's job coach follows up with you."),
    )
    consent = BooleanField(
        _l("I agree that employers at whose stand I show my ticket see my name, "
           "languages and work interests."),
        validators=[DataRequired(message=_l("Please agree, or we cannot register you."))],
    )

    # Phone first: most candidates register on a phone and have a number sooner than e-mail.
    FIELD_ORDER = ("first_name", "last_name", "latin_name", "phone", "email", "languages",
                   "dutch_level", "needs_interpreter", "sectors", "experience", "education_level",
                   "diplomas_evaluated", "municipality")

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        if not self.phone.data and not self.email.data and not (
            self.phone.errors or self.email.errors
        ):
            self.phone.errors.append(_l("Enter a mobile number or an e-mail address."))
            valid = False
        return valid

    def details(self) -> CandidateDetails:
        return CandidateDetails(
            first_name=self.first_name.data, last_name=self.last_name.data,
            latin_name=self.latin_name.data or "", email=self.email.data or None,
            phone=self.phone.data or None, languages=dict(self.languages.data),
            dutch_level=self.dutch_level.data, sectors=list(self.sectors.data or []),
            experience=self.experience.data or "", education_level=self.education_level.data,
            diplomas_evaluated={"yes": True, "no": False}.get(self.diplomas_evaluated.data),
            needs_interpreter=self.needs_interpreter.data == "yes",
            municipality=self.municipality.data or "",
        )


class WalkInForm(FlaskForm):
    """At the door: as little as possible, the rest can follow later."""

    first_name = StringField(_l("First name"), validators=[Name()], filters=[one_line])
    last_name = StringField(_l("Last name"), validators=[Name()], filters=[one_line])
    languages = MultiCheckboxField(_l("Languages"), choices=[])
    phone = TelField(_l("Mobile number (optional)"),
                     validators=[Optional(), Length(max=30), PhoneNumber()], filters=[one_line])
    consent = BooleanField(_l("Agrees that employers at their stand see name and languages"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.languages.choices = options(language_choices())

    def details(self) -> CandidateDetails:
        return CandidateDetails(
            first_name=self.first_name.data, last_name=self.last_name.data,
            phone=self.phone.data or None,
            languages={code: "native" for code in self.languages.data or []},
        )


class StaffCandidateForm(ProfileForm):
    first_name = StringField(_l("First name"), validators=[Name()], filters=[one_line])
    last_name = StringField(_l("Last name"), validators=[Name()], filters=[one_line])
    latin_name = StringField(_l("Name in Latin letters"), validators=[LatinName()],
                             filters=[one_line])
    phone = TelField(_l("Mobile number"), validators=[Optional(), Length(max=30), PhoneNumber()],
                     filters=[one_line])
    email = EmailField(_l("E-mail address"),
                       validators=[Optional(), Length(max=254), EmailAddress()], filters=[one_line])
    municipality = StringField(_l("Municipality"), validators=[Optional(), Length(max=80)],
                               filters=[one_line])
    # Unknown values mean "no coach" (the view only links coaches it offered).
    coach = SelectField(_l("Job coach"), choices=[], validate_choice=False)

    def __init__(self, *args, coaches=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.coach.choices = options([("", _l("No coach yet"))] + [
            (str(user.id), user.name) for user in coaches])


class ImportForm(FlaskForm):
    file = FileField(
        _l("File (CSV or Excel)"),
        validators=[FileRequired(_l("Choose a file.")),
                    FileAllowed(["csv", "txt", "xlsx"], _l("Only CSV or Excel (.xlsx) files."))],
        description=_l("First row: column names. Needed: first name, last name, and e-mail or "
                       "phone. Optional: languages (uk:native en:good), dutch level, sectors, "
                       "municipality, mail language (nl, en, uk, ru, ar)."),
    )
    event = SelectField(_l("Invite them by mail to"), choices=[], validate_choice=False,
                        description=_l("Each gets a mail in their own language with a link to "
                                       "register."))
