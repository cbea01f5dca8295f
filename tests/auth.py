"""Logging a test client in as someone, the way every page test should."""

from django.test import Client


def log_in(client: Client, user) -> Client:
    """Log the client in as user, past every factor the user's role requires."""
    client.force_login(user)
    return client
