"""Swedish personnummer and samordningsnummer: format, real date, Luhn check digit."""

from __future__ import annotations

import datetime as dt
import re

from django.core.exceptions import ValidationError

_LONG = re.compile(r"^(\d{8})-?(\d{4})$", re.ASCII)  # YYYYMMDD-NNNN (also without the hyphen)
_SHORT = re.compile(r"^(\d{6})(\d{4})$", re.ASCII)  # YYMMDDNNNN; ASCII: \d alone takes any script


def luhn_digit(nine_digits: str) -> int:
    """The check digit for the nine digits YYMMDDNNN."""
    total = 0
    for i, ch in enumerate(nine_digits):
        n = int(ch) * (2 if i % 2 == 0 else 1)
        total += n - 9 if n > 9 else n
    return (10 - total % 10) % 10


def normalise(value: str, *, today: dt.date | None = None) -> str:
    """The number as 12 digits YYYYMMDDNNNC, or ValidationError with a Swedish reason.

    Accepted: YYYYMMDD-NNNN or 10 digits YYMMDDNNNN (century: the latest that is not in the
    future). A samordningsnummer has 60 added to the day of birth.
    """
    today = today or dt.date.today()
    raw = (value or "").strip().replace(" ", "")
    if m := _LONG.match(raw):
        date_part, tail = m.group(1), m.group(2)
    elif m := _SHORT.match(raw):
        yy = int(m.group(1)[:2])
        century = 2000 if 2000 + yy <= today.year else 1900
        date_part, tail = f"{century + yy:04d}{m.group(1)[2:]}", m.group(2)
    else:
        raise ValidationError(
            "Personnumret ska skrivas ÅÅÅÅMMDD-NNNN eller med tio siffror (ÅÅMMDDNNNN).",
            code="format",
        )
    year, month, day = int(date_part[:4]), int(date_part[4:6]), int(date_part[6:8])
    if day > 60:  # samordningsnummer
        day -= 60
    try:
        born = dt.date(year, month, day)
    except ValueError:
        raise ValidationError(
            "Personnumret innehåller inget giltigt födelsedatum.", code="date"
        ) from None
    if born > today:
        raise ValidationError("Födelsedatumet i personnumret ligger i framtiden.", code="date")
    if luhn_digit(date_part[2:] + tail[:3]) != int(tail[3]):
        raise ValidationError("Personnumrets kontrollsiffra stämmer inte.", code="luhn")
    return date_part + tail


def formatted(twelve_digits: str) -> str:
    return f"{twelve_digits[:8]}-{twelve_digits[8:]}"
