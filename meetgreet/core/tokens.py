"""Secrets for links and QR codes: unguessable, stored hashed, compared in constant time."""

import hashlib
import hmac
import secrets

from sqlalchemy import select
from sqlalchemy.orm import InstrumentedAttribute

from ..extensions import db

# Upper-case letters and digits without look-alikes (0/O, 1/I/L): easy to read out at the door,
# and QR's compact alphanumeric mode encodes them.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 26  # 26 * log2(31) = 128.8 bits


def new_link_token() -> str:
    """For personal links (manage a booking, view a registration): 192 random bits."""
    return secrets.token_urlsafe(24)


def new_code(length: int = CODE_LENGTH) -> str:
    """For QR tickets and badges: at least 128 random bits, no look-alike characters."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))


def hash_token(token: str) -> str:
    """What the database keeps of a long-lived token: a leaked table opens no link."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def tokens_match(given: str, expected: str) -> bool:
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


MAX_TOKEN_LENGTH = 100  # ours are 32 characters; anything far longer is not one of them


def find_by_token(column: InstrumentedAttribute, token: object):
    """The row whose `column` holds the hash of `token`, or None for an empty, absurdly long
    or wrong token (untrusted input from a URL or a form)."""
    if not isinstance(token, str) or not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    digest = hash_token(token)
    found = db.session.scalars(select(column.class_).where(column == digest)).first()
    if found is None or not tokens_match(digest, getattr(found, column.key) or ""):
        return None
    return found
