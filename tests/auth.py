"""Logging a test client in as someone, the way every page test should."""

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice


def log_in(client: Client, user) -> Client:
    """Log the client in as user, past every factor the user's role requires.

    The session is verified with a confirmed TOTP device the way django_otp.login leaves it,
    whether or not the user needs a second factor yet: a test may make them project staff
    after logging in.
    """
    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client
