import pytest


@pytest.fixture
def request_context(app):
    """Services make links for mails, as in a real request."""
    with app.test_request_context("/", base_url="https://meetgreet.example.nl",
                                  headers={"Accept-Language": "en"}):
        yield
