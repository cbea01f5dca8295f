"""The cast: two förbund and named people in every role.

Sjuhärad (Borås 1490, Bollebygd 1443, Västra Götalandsregionen):
  alice  – kansli (förbundschef), works at the förbund
  bob    – beredningsgrupp, Borås stad
  carin  – beredningsgrupp, Försäkringskassan
  dora   – beredningsgrupp, Arbetsförmedlingen
  erik   – läsare, Västra Götalandsregionen
Älv och Kust (Kungälv 1482, Stenungsund 1415, Västra Götalandsregionen):
  mallory – kansli of the other förbund: must see nothing of Sjuhärad
"""

import pytest

from samsyn.parties.choices import Role
from tests.factories import af, fk, kommun, make_forbund, person, region


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings) -> None:
    """Every cast member gets a hashed password: 10⁶ PBKDF2 rounds each prove nothing here and
    cost most of the suite's time. Login itself is tested with this hasher just the same."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    """Each test starts with an empty cache: ids repeat between tests on SQLite."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def sjuharad(db):
    return make_forbund("Sjuhärads samordningsförbund", ("1490", "1443"), "14")


@pytest.fixture
def alv_och_kust(db):
    return make_forbund("Samordningsförbundet Älv och Kust", ("1482", "1415"), "14")


@pytest.fixture
def alice(sjuharad):
    return person("alice", sjuharad, Role.KANSLI, sjuharad.organisation)


@pytest.fixture
def bob(sjuharad):
    return person("bob", sjuharad, Role.BEREDNING, kommun("1490"))


@pytest.fixture
def carin(sjuharad):
    return person("carin", sjuharad, Role.BEREDNING, fk())


@pytest.fixture
def dora(sjuharad):
    return person("dora", sjuharad, Role.BEREDNING, af())


@pytest.fixture
def erik(sjuharad):
    return person("erik", sjuharad, Role.READER, region("14"))


@pytest.fixture
def mallory(alv_och_kust):
    return person("mallory", alv_och_kust, Role.KANSLI, alv_och_kust.organisation)
