"""Numbers and refusals as Swedes read them, for every template (a builtin: no {% load %}).

`{{ 1900000|tal }}` → ``1 900 000`` with a narrow no-break space (U+202F) between the groups
of three, so a number never breaks across lines; decimals after a comma (``2,5``).

`{{ violation.message|rule_ids }}` → the Swedish text first, the rule id after it in small
print: ``Mandat saknas för: Borås stad <small class="rule-id">(R6)</small>.``
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

register = template.Library()

GROUP = "\u202f"  # narrow no-break space: the thin space of Swedish typography


@register.filter
def tal(value, decimals: int | None = None):
    if value is None or value == "" or isinstance(value, bool):
        return value
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return value
    if decimals is None and number == number.to_integral_value():
        text = f"{int(number):,}"
    else:
        places = 2 if decimals is None else int(decimals)
        text = f"{number:,.{places}f}"
    return text.replace(",", GROUP).replace(".", ",").replace("-", "\u2212")


# "(R6)", "(A2, A3)": a rule id is one capital letter and its number (not "(SE23)").
RULE_IDS = re.compile(r"\s*\(([A-Z]\d+(?:, [A-Z]\d+)*)\)")


@register.filter(needs_autoescape=True)
def rule_ids(value, autoescape: bool = True):
    """A refusal or rule message with its rule ids in small print after the Swedish text.

    Every page that shows a rule's message (error summaries, field errors, the boxes of what
    blocks the next step, flash messages) shows it through this filter; the API keeps the
    message as it is, with the id in its own `rule`/`code` field as well."""
    if value is None or value == "":
        return value
    text = conditional_escape(value) if autoescape else str(value)
    return mark_safe(
        RULE_IDS.sub(lambda m: f' <small class="rule-id">({m.group(1)})</small>', str(text))
    )
