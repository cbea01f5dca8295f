"""The personnummer is kept only as a keyed hash (de-duplication) and a Fernet ciphertext.

The key comes from settings (SAMSYN_PERSONAL_DATA_KEY), never from the database, so a copy of
the database alone reveals no personnummer.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from functools import cache

from cryptography.fernet import Fernet
from django.conf import settings


@cache
def _keys(key: str) -> tuple[Fernet, bytes]:
    fernet = Fernet(key.encode())
    # A separate key for the hash, derived from the same secret.
    hmac_key = hashlib.sha256(b"samsyn-personnummer-hmac:" + base64.urlsafe_b64decode(key)).digest()
    return fernet, hmac_key


def _current() -> tuple[Fernet, bytes]:
    return _keys(settings.SAMSYN_PERSONAL_DATA_KEY)


def keyed_hash(normalised: str) -> str:
    return hmac.new(_current()[1], normalised.encode(), hashlib.sha256).hexdigest()


def encrypt(normalised: str) -> str:
    return _current()[0].encrypt(normalised.encode()).decode()


def decrypt(token: str) -> str:
    return _current()[0].decrypt(token.encode()).decode()
