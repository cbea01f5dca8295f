"""Personnummer and samordningsnummer: format, real date, Luhn check digit."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from samsyn.followup.personnummer import luhn_digit, normalise

TODAY = dt.date(2026, 11, 26)
births = st.dates(min_value=dt.date(1927, 1, 1), max_value=dt.date(2026, 11, 25))
serials = st.integers(min_value=0, max_value=999)


def number(born: dt.date, serial: int, *, coordination=False, check=None) -> tuple[str, str]:
    day = born.day + (60 if coordination else 0)
    nine = f"{born:%y%m}{day:02d}{serial:03d}"
    digit = luhn_digit(nine) if check is None else check
    return f"{born:%Y%m}{day:02d}-{serial:03d}{digit}", f"{nine}{digit}"


def test_a_known_number():
    assert normalise("19811218-9876", today=TODAY) == "198112189876"
    assert normalise("8112189876", today=TODAY) == "198112189876"


@given(births, serials, st.booleans())
def test_every_valid_number_is_accepted_in_both_forms(born, serial, coordination):
    long, short = number(born, serial, coordination=coordination)
    expected = long.replace("-", "")
    assert normalise(long, today=TODAY) == expected
    if born.year > TODAY.year - 100 and (born.year >= 2000) == (
        born.year % 100 <= TODAY.year % 100
    ):
        assert normalise(short, today=TODAY) == expected


@given(births, serials, st.integers(min_value=1, max_value=9))
def test_a_wrong_check_digit_is_refused(born, serial, shift):
    good, _ = number(born, serial)
    wrong = (int(good[-1]) + shift) % 10
    bad, _ = number(born, serial, check=wrong)
    with pytest.raises(ValidationError, match="kontrollsiffra"):
        normalise(bad, today=TODAY)


@given(st.text(max_size=20))
def test_any_text_is_either_a_twelve_digit_number_or_a_swedish_refusal(text):
    try:
        result = normalise(text, today=TODAY)
    except ValidationError as exc:
        assert exc.messages[0].startswith(("Personnumret", "Personnumrets", "Födelsedatumet"))
    else:
        assert len(result) == 12 and result.isdigit()


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("19810230-1234", "giltigt födelsedatum"),  # 30 February
        ("19811399-1234", "giltigt födelsedatum"),
        ("1981-12-18-9876", "ska skrivas"),
        ("811218-987", "ska skrivas"),
        ("20991218-9876", "framtiden"),
    ],
)
def test_bad_numbers_are_refused_with_a_reason(value, reason):
    with pytest.raises(ValidationError, match=reason):
        normalise(value, today=TODAY)


def test_samordningsnummer_has_sixty_added_to_the_day():
    long, _ = number(dt.date(1990, 5, 7), 123, coordination=True)
    assert long.startswith("19900567")
    assert normalise(long, today=TODAY) == long.replace("-", "")
