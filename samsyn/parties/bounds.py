"""One bound per kind of value, shared by every door (pages, API, import, tasks).

- Dates and datetimes lie within 2000-01-01 … 2100-12-31 (for a datetime: in UTC, in its
  own offset and in Swedish time alike, so no conversion can leave the calendar).
- Integers lie within the database column's range: PostgreSQL's smallint, integer or bigint
  (the same on SQLite, so both databases accept exactly the same values).
- Amounts (kronor) are whole, 0 … 1 000 000 000 000 kr: a sum of millions of them still fits
  a bigint.
- Text holds no NUL character and no lone surrogate (neither can be stored as UTF-8).
- An event that has happened (a need identified, a step's basis date, a decision, minutes
  approved) is not in the future, and not before the event it follows.

The checks are plain functions returning Problems (a stable code and a Swedish message).
`Bounded` runs them in a model's full_clean (so ModelForms show them on the field), and
`guard_saves` runs the value bounds before any save of a Samsyn model, verb or not. Queries
are safe too: `guard_integer_lookups` makes an `in` lookup or a foreign-key lookup with an
integer beyond the column's range match nothing, as Django already does for `exact` on an
integer field, instead of crashing SQLite's driver.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, ClassVar

from django.core.exceptions import EmptyResultSet, ValidationError
from django.db import models
from django.db.models.fields.related_lookups import RelatedExact, RelatedIn
from django.db.models.lookups import In
from django.db.models.signals import post_init, pre_save
from django.utils import timezone

EARLIEST = dt.date(2000, 1, 1)
LATEST = dt.date(2100, 12, 31)
MAX_AMOUNT = 1_000_000_000_000
# PostgreSQL's ranges, applied on every database.
INTEGER_RANGES = {
    "SmallIntegerField": (-(2**15), 2**15 - 1),
    "IntegerField": (-(2**31), 2**31 - 1),
    "BigIntegerField": (-(2**63), 2**63 - 1),
    "PositiveSmallIntegerField": (0, 2**15 - 1),
    "PositiveIntegerField": (0, 2**31 - 1),
    "PositiveBigIntegerField": (0, 2**63 - 1),
    "SmallAutoField": (1, 2**15 - 1),
    "AutoField": (1, 2**31 - 1),
    "BigAutoField": (1, 2**63 - 1),
}
INT64 = INTEGER_RANGES["BigIntegerField"]

# Stable codes, shown as "rule" in the API's 422 answers.
DATE_RANGE = "date_range"
INTEGER_RANGE = "integer_range"
AMOUNT_RANGE = "amount_range"
TEXT_CHARACTERS = "text_characters"
NOT_YET_HAPPENED = "not_yet_happened"
BEFORE_PREVIOUS = "before_previous"
CODES = frozenset(
    {DATE_RANGE, INTEGER_RANGE, AMOUNT_RANGE, TEXT_CHARACTERS, NOT_YET_HAPPENED, BEFORE_PREVIOUS}
)


@dataclass(frozen=True)
class Problem:
    code: str
    message: str


def _sv(day: dt.date) -> str:
    return day.isoformat()


WINDOW = f"mellan {_sv(EARLIEST)} och {_sv(LATEST)}"


# Values --------------------------------------------------------------------------------------


def date_problem(value: dt.date) -> Problem | None:
    if isinstance(value, dt.datetime):
        return datetime_problem(value)
    if not EARLIEST <= value <= LATEST:
        return Problem(DATE_RANGE, f"Ange ett datum {WINDOW}.")
    return None


def _calendar_days(value: dt.datetime) -> list[dt.date]:
    """The day of the instant in its own offset, in UTC and in Swedish time (OverflowError if
    a conversion leaves Python's calendar)."""
    if timezone.is_naive(value):
        return [value.date()]
    return [
        value.date(),
        value.astimezone(dt.UTC).date(),
        value.astimezone(timezone.get_default_timezone()).date(),
    ]


def datetime_problem(value: dt.datetime) -> Problem | None:
    try:
        days = _calendar_days(value)
    except (OverflowError, ValueError):
        days = [dt.date.min]
    if not all(EARLIEST <= day <= LATEST for day in days):
        return Problem(DATE_RANGE, f"Ange en tidpunkt {WINDOW}.")
    return None


def integer_problem(value: int, internal_type: str = "BigIntegerField") -> Problem | None:
    low, high = INTEGER_RANGES.get(internal_type, INT64)
    if not low <= value <= high:
        return Problem(INTEGER_RANGE, f"Ange ett heltal mellan {low} och {high}.")
    return None


def amount_problem(value: Any) -> Problem | None:
    try:
        whole = value == int(value)
    except (OverflowError, ValueError):  # infinity, NaN
        whole = False
    if not whole or not 0 <= value <= MAX_AMOUNT:
        return Problem(
            AMOUNT_RANGE, "Ange ett belopp i hela kronor mellan 0 och 1 000 000 000 000 kr."
        )
    return None


# NUL, and any surrogate code point: in a Python str one is always unpaired (a pair is
# one character), and neither can be encoded as UTF-8 or stored by PostgreSQL.
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def text_problem(value: str) -> Problem | None:
    if _UNSTORABLE.search(value):
        return Problem(
            TEXT_CHARACTERS,
            "Texten innehåller ett tecken som inte kan sparas (ett nolltecken eller en halv "
            "teckenkod). Ta bort det och försök igen.",
        )
    return None


def value_problem(field: models.Field, value: Any, *, amount: bool = False) -> Problem | None:
    """The bound of the field's kind of value; None when the value is within it."""
    if value is None:
        return None
    if isinstance(field, models.DateTimeField | models.DateField):
        return date_problem(value) if isinstance(value, dt.date) else None
    if amount:
        return amount_problem(value) if isinstance(value, int | float) or _decimal(value) else None
    if isinstance(field, models.IntegerField | models.AutoField):
        return integer_problem(value, field.get_internal_type()) if isinstance(value, int) else None
    if isinstance(field, models.DecimalField) and _decimal(value):
        return integer_problem(int(value)) if value.is_finite() else None
    if isinstance(value, str):
        return text_problem(value)
    return None


def input_problem(value: Any) -> Problem | None:
    """The bound of a value as a client sent it (an API body): by its Python type."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return integer_problem(value)
    if isinstance(value, dt.date):
        return date_problem(value)
    if isinstance(value, str):
        return text_problem(value)
    return None


def _decimal(value: Any) -> bool:
    return isinstance(value, Decimal)


# Events that have happened -------------------------------------------------------------------


def happened_problems(
    value: dt.date | dt.datetime | None,
    *,
    what: str,
    after: Iterable[tuple[dt.date | dt.datetime | None, str]] = (),
    now: dt.datetime | None = None,
) -> list[Problem]:
    """`what` (e.g. "Stegets datum") has happened: not after today, not before what it follows.

    `after` holds (date, description) of the events it follows, e.g. (identified_on,
    "datumet då behovet identifierades"); an empty date is skipped.
    """
    if value is None:
        return []
    now = now or timezone.now()
    future = value > now if isinstance(value, dt.datetime) else value > timezone.localdate(now)
    problems = []
    if future:
        problems.append(
            Problem(NOT_YET_HAPPENED, f"{what} kan inte ligga i framtiden ({_shown(value)}).")
        )
    for earlier, description in after:
        if earlier is not None and _before(value, earlier):
            problems.append(
                Problem(
                    BEFORE_PREVIOUS,
                    f"{what} ({_shown(value)}) kan inte ligga före {description} "
                    f"({_shown(earlier)}).",
                )
            )
    return problems


def _before(value: dt.date | dt.datetime, earlier: dt.date | dt.datetime) -> bool:
    """Instants compare as instants; otherwise by their Swedish calendar day."""
    if isinstance(value, dt.datetime) and isinstance(earlier, dt.datetime):
        return value < earlier
    return _day(value) < _day(earlier)


def _day(value: dt.date | dt.datetime) -> dt.date:
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


def _shown(value: dt.date | dt.datetime) -> str:
    return _sv(_day(value))


# Model validation ------------------------------------------------------------------------------


def field_problems(
    instance: models.Model, *, only: Iterable[str] | None = None, exclude: Iterable[str] = ()
) -> dict[str, list[Problem]]:
    """The value bounds of every concrete field of the instance (or only the named ones)."""
    only = None if only is None else set(only)
    exclude = set(exclude or ())
    amounts = set(getattr(instance, "amount_fields", ()))
    found: dict[str, list[Problem]] = {}
    for field in instance._meta.concrete_fields:
        if field.name in exclude or (only is not None and not {field.name, field.attname} & only):
            continue
        if field.attname not in instance.__dict__:  # deferred
            continue
        value = getattr(instance, field.attname)
        problem = value_problem(field, value, amount=field.name in amounts)
        if problem is not None:
            found[field.name] = [problem]
    return found


def event_problems(instance: models.Model, *, exclude: Iterable[str] = ()) -> dict[str, list]:
    """The declared events of a Bounded model: happened, and in order."""
    exclude = set(exclude or ())
    found: dict[str, list[Problem]] = {}
    meta = instance._meta
    for name in getattr(instance, "happened_fields", ()):
        if name not in exclude:
            label = str(meta.get_field(name).verbose_name).capitalize()
            problems = happened_problems(getattr(instance, name), what=label)
            if problems:
                found.setdefault(name, []).extend(problems)
    for earlier, later in getattr(instance, "ordered_fields", ()):
        if later in exclude or later in found:
            continue
        first, then = getattr(instance, earlier), getattr(instance, later)
        if first is not None and then is not None and _before(then, first):
            found[later] = [
                Problem(
                    BEFORE_PREVIOUS,
                    f"{str(meta.get_field(later).verbose_name).capitalize()} ({_shown(then)}) "
                    f"kan inte ligga före {str(meta.get_field(earlier).verbose_name).lower()} "
                    f"({_shown(first)}).",
                )
            ]
    return found


def as_validation_error(problems: dict[str, list[Problem]]) -> ValidationError:
    return ValidationError(
        {
            name: [ValidationError(p.message, code=p.code) for p in items]
            for name, items in problems.items()
        }
    )


def check(instance: models.Model, *, exclude: Iterable[str] = ()) -> None:
    """Raise a ValidationError (per field, Swedish, with the bound's code) if out of bounds."""
    problems = field_problems(instance, exclude=exclude)
    for name, items in event_problems(instance, exclude=exclude).items():
        problems.setdefault(name, items)
    if problems:
        raise as_validation_error(problems)


class Bounded(models.Model):
    """Runs the bounds in full_clean: verbs that clean and ModelForms share them.

    `amount_fields` are kronor; `happened_fields` are events that have happened (not in the
    future); `ordered_fields` are (earlier, later) pairs of events.
    """

    amount_fields: ClassVar[tuple[str, ...]] = ()
    happened_fields: ClassVar[tuple[str, ...]] = ()
    ordered_fields: ClassVar[tuple[tuple[str, str], ...]] = ()

    class Meta:
        abstract = True

    def clean_fields(self, exclude=None):
        errors: dict[str, list] = {}
        try:
            super().clean_fields(exclude=exclude)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        try:
            check(self, exclude=[*(exclude or ()), *errors])
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)


# Every save and every query ------------------------------------------------------------------

SAMSYN_APPS = ("parties", "pipeline", "calls", "meetings", "followup")


def _guard(sender, instance, raw=False, update_fields=None, **kwargs) -> None:
    if raw:  # loaddata / restore: a backup is restored as it was taken
        return
    problems = field_problems(instance, only=update_fields)
    if problems:
        raise as_validation_error(problems)


# The latest and earliest instants that every time zone can still show, and a date that
# leaves room for a day or two of arithmetic (a feed's end of day, a deadline's next day).
_SHOWABLE = (
    dt.datetime.min.replace(tzinfo=dt.UTC) + dt.timedelta(days=2),
    dt.datetime.max.replace(tzinfo=dt.UTC) - dt.timedelta(days=2),
)
_SHOWABLE_DAYS = (dt.date.min + dt.timedelta(days=2), dt.date.max - dt.timedelta(days=2))


def showable(value: Any) -> Any:
    """A stored date or datetime moved just inside what Python can convert and show.

    Bounds refuse such values on the way in; this keeps a page up if one is stored already
    (e.g. 9999-12-31T23:30Z is year 10000 in Swedish time, which Python cannot represent)."""
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            low, high = _SHOWABLE
            return min(max(value, low), high)
        return min(max(value, _SHOWABLE[0].replace(tzinfo=None)), _SHOWABLE[1].replace(tzinfo=None))
    if isinstance(value, dt.date):
        return min(max(value, _SHOWABLE_DAYS[0]), _SHOWABLE_DAYS[1])
    return value


def _showable_on_load(sender, instance, **kwargs) -> None:
    for attname in sender._bounded_dates:
        value = instance.__dict__.get(attname)
        if value is not None:
            instance.__dict__[attname] = showable(value)


class _BoundedIntegerLookup:
    """An integer beyond the target column's range matches no row (and never reaches SQLite,
    whose driver cannot send it)."""

    def _target_range(self) -> tuple[int, int]:
        field = self.lhs.output_field
        while getattr(field, "target_field", None) is not None and field.is_relation:
            field = field.target_field
        return INTEGER_RANGES.get(field.get_internal_type(), INT64)

    def _in_range(self, value: Any) -> bool:
        if isinstance(value, bool) or not isinstance(value, int):
            return True
        low, high = self._target_range()
        return low <= value <= high

    def _keep_in_range(self) -> None:
        if self.rhs_is_direct_value() and isinstance(self.rhs, list | tuple | set):
            self.rhs = [v for v in self.rhs if self._in_range(v)]


class BoundedIn(_BoundedIntegerLookup, In):
    def process_rhs(self, compiler, connection):
        self._keep_in_range()
        return super().process_rhs(compiler, connection)


class BoundedRelatedIn(_BoundedIntegerLookup, RelatedIn):
    def process_rhs(self, compiler, connection):
        self._keep_in_range()
        return super().process_rhs(compiler, connection)


class BoundedRelatedExact(_BoundedIntegerLookup, RelatedExact):
    def process_rhs(self, compiler, connection):
        if self.rhs_is_direct_value() and not self._in_range(self.rhs):
            raise EmptyResultSet
        return super().process_rhs(compiler, connection)


def guard_integer_lookups() -> None:
    models.IntegerField.register_lookup(BoundedIn)
    models.ForeignObject.register_lookup(BoundedRelatedIn)
    models.ForeignObject.register_lookup(BoundedRelatedExact)


def install() -> None:
    """Connect the guards (called once from PartiesConfig.ready)."""
    from django.apps import apps
    from simple_history.models import HistoricalChanges

    guard_integer_lookups()
    for label in SAMSYN_APPS:
        for model in apps.get_app_config(label).get_models():
            if issubclass(model, HistoricalChanges):
                continue
            pre_save.connect(_guard, sender=model, dispatch_uid=f"bounds-{model._meta.label}")
            dates = [
                f.attname
                for f in model._meta.concrete_fields
                if isinstance(f, models.DateField | models.DateTimeField)
            ]
            if dates:
                model._bounded_dates = tuple(dates)
                post_init.connect(
                    _showable_on_load, sender=model, dispatch_uid=f"showable-{model._meta.label}"
                )
