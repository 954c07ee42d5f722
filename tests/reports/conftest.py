import pytest


@pytest.fixture(autouse=True)
def english_request(app):
    """Lists format dates and labels for a reader: give them one, reading English."""
    with app.test_request_context(headers={"Accept-Language": "en"}):
        yield
