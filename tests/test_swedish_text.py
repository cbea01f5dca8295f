"""Said in Swedish, formatted as Swedes read it, on every page outside the follow-up report.

Checked over the templates and the code as they are written, so a new page gets the same:
numbers through one filter (`tal`), dates that never break in a table cell, Swedish
quotation marks, no rule id standing alone, no environment variable shown to a user.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.template import Context, Template

from samsyn.parties.templatetags.swedish import tal

ROOT = Path(__file__).resolve().parents[1] / "samsyn"
TEMPLATES = sorted(ROOT.rglob("templates/**/*.html"))
SOURCES = sorted(ROOT.rglob("*.py"))
N = "\u202f"


def outside_followup(path: Path) -> bool:
    return "followup" not in path.parts or path.name.startswith("participant")


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (1_900_000, f"1{N}900{N}000"),
        (999, "999"),
        (1000, f"1{N}000"),
        (Decimal("1900000.00"), f"1{N}900{N}000"),
        (2.5, "2,50"),
        (-12_000, f"\u221212{N}000"),
        (None, None),
        ("", ""),
        ("text", "text"),
    ],
)
def test_numbers_tal_filter_groups_thousands_with_a_thin_space(value, shown):
    assert tal(value) == shown


def test_numbers_tal_filter_is_a_builtin():
    assert Template("{{ n|tal }} kr").render(Context({"n": 1900000})) == f"1{N}900{N}000 kr"


def test_numbers_amounts_in_templates_go_through_tal():
    money = re.compile(r"\{\{\s*([^}|]*(_sek|budget|amount|_cap\b|totals\.)[^}]*)\}\}")
    num_cell = re.compile(r'<td class="num">\{\{\s*([^}]*)\}\}')
    bad = []
    for path in filter(outside_followup, TEMPLATES):
        text = path.read_text(encoding="utf-8")
        for m in [*money.finditer(text), *num_cell.finditer(text)]:
            if "|tal" not in m.group(1) and "_display" not in m.group(1):
                bad.append(f"{path.relative_to(ROOT)}: {m.group(0)}")
        for m in re.finditer(r"blocktranslate with ([^%]*(_sek|budget)[^%]*)%\}", text):
            for part in m.group(1).split():
                if re.search(r"(_sek|budget)", part) and "|tal" not in part:
                    bad.append(f"{path.relative_to(ROOT)}: {part}")
    assert bad == []


def test_dates_never_break_inside_a_table_cell():
    bad = []
    for path in filter(outside_followup, TEMPLATES):
        for m in re.finditer(r"<td>\{\{[^}]*\|date:", path.read_text(encoding="utf-8")):
            bad.append(f"{path.relative_to(ROOT)}: {m.group(0)}")
    assert bad == []
    css = (ROOT / "static/samsyn/samsyn.css").read_text(encoding="utf-8")
    assert re.search(r"time, \.date \{ white-space: nowrap; \}", css)


def test_swedish_quotation_marks_only():
    bad = [
        str(p.relative_to(ROOT))
        for p in [*TEMPLATES, *SOURCES]
        if "\u201c" in p.read_text(encoding="utf-8") or "\u201e" in p.read_text(encoding="utf-8")
    ]
    assert bad == []


def test_rule_ids_never_stand_alone_in_headings_and_labels():
    """A rule id in a template follows Swedish text, in small print (class rule-id)."""
    bad = []
    for path in filter(outside_followup, TEMPLATES):
        text = path.read_text(encoding="utf-8")
        for m in re.finditer(r"<th[^>]*>([^<]*)</th>", text):
            if re.search(r"\([RAP]\d+\)", m.group(1)):
                bad.append(f"{path.relative_to(ROOT)}: {m.group(0)}")
        for m in re.finditer(r"\((?:R|A|P)\d+\)", text):
            before = text[max(0, m.start() - 30) : m.start()]
            if 'class="rule-id">' not in before and "translate" not in before[-12:]:
                line = text.count("\n", 0, m.start()) + 1
                sentence = text[max(0, m.start() - 80) : m.start()]
                if not re.search(r"[a-zåäö]{2,}[ ;,.]*$", sentence):
                    bad.append(f"{path.relative_to(ROOT)}:{line}")
    assert bad == []


def test_environment_variable_names_never_shown_to_users():
    env_name = re.compile(r"\b(SAMSYN_[A-Z_]+|DATABASE_URL|OIDC_[A-Z_]+)\b")
    bad = [
        f"{p.relative_to(ROOT)}: {m.group(0)}"
        for p in TEMPLATES
        for m in env_name.finditer(p.read_text(encoding="utf-8"))
    ]
    assert bad == []
