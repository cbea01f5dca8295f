import pytest


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings) -> None:
    """The cast gets passwords when it is created; 10⁶ hashing rounds prove nothing here."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
