"""Names for fixed values, in the reader's language."""

from flask_babel import force_locale

from meetgreet.core.labels import labeller, options
from meetgreet.employers.models import BOOKING_STATUS_LABELS, BookingStatus


def test_a_labeller_names_a_member_or_its_stored_value_in_the_current_language(app):
    label = labeller(BOOKING_STATUS_LABELS)
    with app.test_request_context():
        with force_locale("en"):
            english = label(BookingStatus.WAITING)
            assert label("waiting") == english
        with force_locale("nl"):
            assert label(BookingStatus.WAITING) != english


def test_options_are_value_label_choices():
    assert [(choice.value, choice.label) for choice in options([("a", "A"), ("b", "B")])] == [
        ("a", "A"), ("b", "B")]
