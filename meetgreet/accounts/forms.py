from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Email, Length, Optional, ValidationError

from ..core.labels import options
from ..core.text import one_line
from .models import Role
from .services import MIN_PASSWORD_LENGTH, find_by_email

ROLE_LABELS = {
    Role.ADMIN: _l("Administrator"),
    Role.PLANNER: _l("Planner"),
    Role.COACH: _l("Job coach"),
    Role.DOOR: _l("Door volunteer"),
}


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mail address"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)])


class StaffUserForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=100)],
                       filters=[one_line])
    email = EmailField(_l("E-mail address"), validators=[DataRequired(), Email(), Length(max=254)])
    role = SelectField(
        _l("Role"), choices=options((role.value, label) for role, label in ROLE_LABELS.items())
    )
    password = PasswordField(
        _l("Password"),
        description=_l("At least %(count)d characters.", count=MIN_PASSWORD_LENGTH),
        validators=[Optional(), Length(min=MIN_PASSWORD_LENGTH, max=200)],
    )
    active = BooleanField(_l("Account active"), default=True)

    def __init__(self, *args, editing=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.editing = editing
        if editing is None:
            self.password.validators = [DataRequired(), *self.password.validators[1:]]

    def validate_email(self, field):
        other = find_by_email(field.data)
        if other is not None and other is not self.editing:
            raise ValidationError(_l("There is already a staff account with this e-mail address."))

    def validate_name(self, field):
        if not field.data.strip():
            raise ValidationError(_l("This field is required."))


class ForgotPasswordForm(FlaskForm):
    email = EmailField(_l("E-mail address"), validators=[DataRequired(), Length(max=254)])


class ResetPasswordForm(FlaskForm):
    password = PasswordField(
        _l("New password"),
        description=_l("At least %(count)d characters.", count=MIN_PASSWORD_LENGTH),
        validators=[DataRequired(), Length(min=MIN_PASSWORD_LENGTH, max=200)],
    )
    confirm = PasswordField(_l("New password again"), validators=[DataRequired()])

    def validate_confirm(self, field):
        if field.data != self.password.data:
            raise ValidationError(_l("The two passwords are not the same."))
