"""E-mail addresses and phone numbers, checked and written one way everywhere."""

import phonenumbers
from email_validator import EmailNotValidError, validate_email
from flask_babel import lazy_gettext as _l
from wtforms.validators import ValidationError

DEFAULT_REGION = "NL"


def normalise_email(raw: str) -> str:
    """A valid address in canonical form; raises ValueError otherwise."""
    try:
        result = validate_email(raw.strip(), check_deliverability=False)
    except EmailNotValidError as error:
        raise ValueError(str(error)) from error
    return result.normalized.lower()


def normalise_phone(raw: str, region: str = DEFAULT_REGION) -> str:
    """E.164 (+31612345678) from Dutch ("06-1234 5678") or international input."""
    try:
        number = phonenumbers.parse(raw.strip(), region)
    except phonenumbers.NumberParseException as error:
        raise ValueError(str(error)) from error
    if not phonenumbers.is_valid_number(number):
        raise ValueError("not a valid phone number")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def display_phone(e164: str) -> str:
    number = phonenumbers.parse(e164, None)
    region = phonenumbers.region_code_for_number(number)
    style = (phonenumbers.PhoneNumberFormat.NATIONAL if region == DEFAULT_REGION
             else phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    return phonenumbers.format_number(number, style)


class EmailAddress:
    """WTForms validator: a valid e-mail address; the field's data becomes its canonical form."""

    def __call__(self, form, field):
        if not field.data:
            return
        try:
            field.data = normalise_email(field.data)
        except ValueError:
            raise ValidationError(
                _l("Enter a valid e-mail address, like name@example.nl.")
            ) from None


class PhoneNumber:
    """WTForms validator: a Dutch or international phone number; data becomes E.164."""

    def __call__(self, form, field):
        if not field.data:
            return
        try:
            field.data = normalise_phone(field.data)
        except ValueError:
            raise ValidationError(
                _l("Enter a valid phone number, like 06 12345678 or +380 50 123 4567.")
            ) from None
