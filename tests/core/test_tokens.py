"""Secret links: a row is found by the hash of its token, and junk finds nothing."""

from meetgreet.candidates.models import Registration
from meetgreet.core.tokens import MAX_TOKEN_LENGTH, find_by_token, hash_token

from ..checkin.helpers import registered
from ..support.queries import counting_queries


def test_a_token_finds_its_row_and_nothing_else_does(app, mailbox):
    _event, registration = registered()
    token = registration.link_token
    assert registration.link_token_hash == hash_token(token) != token  # only the hash is kept
    assert find_by_token(Registration.link_token_hash, token) == registration
    assert find_by_token(Registration.link_token_hash, token[:-1] + "x") is None
    assert find_by_token(Registration.link_token_hash, registration.link_token_hash) is None
    with counting_queries() as statements:
        for junk in ("", None, 42, ["a"], "x" * (MAX_TOKEN_LENGTH + 1)):
            assert find_by_token(Registration.link_token_hash, junk) is None
    assert statements == []  # junk is turned away before the database
