from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    DateTimeLocalField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.validators import ValidationError as FieldError

from ..core.text import one_line

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
WEEKDAYS = (
    _l("Monday"), _l("Tuesday"), _l("Wednesday"), _l("Thursday"), _l("Friday"),
)


def not_blank(form, field):
    if field.data is not None and not str(field.data).strip():
        raise FieldError(_l("This field is required."))


class VenueForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), not_blank, Length(max=120)],
                       filters=[one_line])
    address = StringField(_l("Address"), validators=[DataRequired(), not_blank, Length(max=200)],
                          filters=[one_line])
    town = StringField(_l("Town"), validators=[DataRequired(), not_blank, Length(max=80)],
                       filters=[one_line])
    stand_count = IntegerField(_l("Number of stands"),
                               validators=[InputRequired(), NumberRange(min=1, max=300)])
    layout_columns = IntegerField(
        _l("Stands per row on the floor plan"),
        validators=[InputRequired(), NumberRange(min=1, max=40)], default=6,
    )
    candidate_capacity = IntegerField(_l("Candidate capacity"),
                                      validators=[InputRequired(), NumberRange(min=1, max=5000)])
    route_description = TextAreaField(_l("Route"), validators=[Optional(), Length(max=1000)])
    accessibility_notes = TextAreaField(_l("Accessibility"),
                                        validators=[Optional(), Length(max=1000)])


class BlackoutForm(FlaskForm):
    starts_on = DateField(_l("From"), validators=[InputRequired()])
    ends_on = DateField(_l("Until (inclusive)"), validators=[InputRequired()])
    reason = StringField(_l("Reason"), validators=[DataRequired(), not_blank, Length(max=120)],
                         filters=[one_line])

    def validate_ends_on(self, field):
        if self.starts_on.data and field.data and field.data < self.starts_on.data:
            raise FieldError(_l("The end date cannot be before the start date."))


class SeriesForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), not_blank, Length(max=120)],
                       filters=[one_line])
    venue_id = SelectField(_l("Venue"), coerce=int, validators=[InputRequired()])
    weekday = SelectField(
        _l("Weekday"), coerce=int,
        choices=[SelectChoice(index, label) for index, label in enumerate(WEEKDAYS)],
    )
    starts_at = TimeField(_l("Start time"), validators=[InputRequired()], default=time(13, 0))
    ends_at = TimeField(_l("End time"), validators=[InputRequired()], default=time(16, 0))
    interval_weeks = SelectField(
        _l("Every"), coerce=int, default=5,
        choices=[SelectChoice(weeks, lazy_ngettext("%(num)d week", "%(num)d weeks", weeks))
                 for weeks in (4, 5, 6)],
    )
    min_days = IntegerField(_l("At least this many days apart"), default=28,
                            validators=[InputRequired(), NumberRange(min=28, max=42)])
    max_days = IntegerField(_l("At most this many days apart"), default=42,
                            validators=[InputRequired(), NumberRange(min=28, max=42)])

    def validate_ends_at(self, field):
        if self.starts_at.data and field.data and field.data <= self.starts_at.data:
            raise FieldError(_l("The end time must be after the start time."))

    def validate_max_days(self, field):
        if self.min_days.data is None or field.data is None:
            return
        if field.data - self.min_days.data < 6:
            raise FieldError(_l("Leave at least a week between the shortest and longest gap."))
        weeks = self.interval_weeks.data
        if weeks and not self.min_days.data <= weeks * 7 <= field.data:
            raise FieldError(_l("The interval must lie between the shortest and longest gap."))


class PlanForm(FlaskForm):
    first_date = DateField(_l("First event on or after"), validators=[Optional()])
    count = IntegerField(_l("Number of events"),
                         validators=[Optional(), NumberRange(min=1, max=24)], default=10)
    until = DateField(_l("Or plan until"), validators=[Optional()])

    def validate_count(self, field):
        if field.data is None and self.until.data is None:
            raise FieldError(_l("Give a number of events or an end date."))

    def validate_first_date(self, field):
        if field.data and field.data < date.today():
            raise FieldError(_l("This date is in the past."))


def local_datetime(day: date, at: time) -> datetime:
    return datetime.combine(day, at, tzinfo=AMSTERDAM)


class EventForm(FlaskForm):
    version = HiddenField()
    day = DateField(_l("Date"), validators=[InputRequired()])
    starts_at = TimeField(_l("Start time"), validators=[InputRequired()])
    ends_at = TimeField(_l("End time"), validators=[InputRequired()])
    stand_count = IntegerField(_l("Number of stands"),
                               validators=[InputRequired(), NumberRange(min=1, max=300)])
    candidate_capacity = IntegerField(_l("Candidate capacity"),
                                      validators=[InputRequired(), NumberRange(min=1, max=5000)])
    theme = StringField(_l("Theme"), validators=[Optional(), Length(max=120)],
                        filters=[one_line],
                        description=_l("Optional, for example “Zorg & welzijn”."))
    employer_registration_opens_at = DateTimeLocalField(
        _l("Stand reservation opens"), validators=[Optional()])
    employer_registration_closes_at = DateTimeLocalField(
        _l("Stand reservation closes"), validators=[Optional()])
    candidate_registration_opens_at = DateTimeLocalField(
        _l("Candidate registration opens"), validators=[Optional()])
    candidate_registration_closes_at = DateTimeLocalField(
        _l("Candidate registration closes"), validators=[Optional()])
    description_nl = TextAreaField(_l("Description in Dutch"),
                                   validators=[Optional(), Length(max=2000)])
    description_en = TextAreaField(_l("Description in English"),
                                   validators=[Optional(), Length(max=2000)])
    description_uk = TextAreaField(_l("Description in Ukrainian (optional)"),
                                   validators=[Optional(), Length(max=2000)])
    description_ru = TextAreaField(_l("Description in Russian (optional)"),
                                   validators=[Optional(), Length(max=2000)])
    description_ar = TextAreaField(_l("Description in Arabic (optional)"),
                                   validators=[Optional(), Length(max=2000)])

    def __init__(self, *args, venue=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.venue = venue

    def validate_ends_at(self, field):
        if self.starts_at.data and field.data and field.data <= self.starts_at.data:
            raise FieldError(_l("The end time must be after the start time."))

    def validate_stand_count(self, field):
        if self.venue and field.data and field.data > self.venue.stand_count:
            raise FieldError(lazy_ngettext("The venue has only %(num)d stand.",
                                           "The venue has only %(num)d stands.",
                                           self.venue.stand_count))

    def validate_candidate_capacity(self, field):
        if self.venue and field.data and field.data > self.venue.candidate_capacity:
            raise FieldError(lazy_ngettext("The venue holds at most %(num)d candidate.",
                                           "The venue holds at most %(num)d candidates.",
                                           self.venue.candidate_capacity))

    def _check_window(self, opens, closes):
        if opens.data and closes.data and closes.data <= opens.data:
            raise FieldError(_l("Registration must close after it opens."))
        if closes.data and self.day.data and self.starts_at.data and (
            closes.data > datetime.combine(self.day.data, self.starts_at.data)
        ):
            raise FieldError(_l("Registration must close before the event starts."))

    def validate_employer_registration_closes_at(self, field):
        self._check_window(self.employer_registration_opens_at, field)

    def validate_candidate_registration_closes_at(self, field):
        self._check_window(self.candidate_registration_opens_at, field)


class MoveEventForm(FlaskForm):
    version = HiddenField()
    day = DateField(_l("New date"), validators=[InputRequired()])

    def validate_day(self, field):
        if field.data and field.data < date.today():
            raise FieldError(_l("This date is in the past."))
