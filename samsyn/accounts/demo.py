"""Demo users who see participants get a TOTP device with one fixed, published secret.

Only for `make run`'s demo data: anyone can compute these codes, so no real user gets one.
"""

from base64 import b32encode
from binascii import unhexlify

from django_otp.plugins.otp_totp.models import TOTPDevice

from samsyn.accounts.second_factor import needs_second_factor
from samsyn.parties.models import User

# 20 bytes, as authenticator apps expect; the base32 form is printed by load_demo.
DEMO_TOTP_KEY = b"samsyn-demo-totp-key".hex()


def demo_secret() -> str:
    return b32encode(unhexlify(DEMO_TOTP_KEY)).decode()


def give_demo_devices(usernames: list[str]) -> list[str]:
    """A confirmed demo device for each of these users who needs one; their names."""
    given = []
    for user in User.objects.filter(username__in=usernames).order_by("username"):
        if not needs_second_factor(user):
            continue
        TOTPDevice.objects.get_or_create(
            user=user, name="Demo", defaults={"key": DEMO_TOTP_KEY, "confirmed": True}
        )
        given.append(user.username)
    return given
