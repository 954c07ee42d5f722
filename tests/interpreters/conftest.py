import pytest


@pytest.fixture(autouse=True)
def _english(request):
    """Page tests read the English texts (the source strings)."""
    if "client" in request.fixturenames:
        request.getfixturevalue("client").environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
