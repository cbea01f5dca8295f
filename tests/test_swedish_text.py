"""Said in Swedish, formatted as Swedes read it, on every page outside the follow-up report.

Checked over the templates and the code as they are written, so a new page gets the same:
numbers through one filter (`tal`), dates that never break in a table cell, Swedish
quotation marks, no rule id standing alone, no environment variable shown to a user.

And klarspråk, class by class, over every template and every Swedish string in the code:
no officialese or abbreviations (inte, till exempel), du to the reader, ”Swedish quotes”,
rule ids only in parentheses after the sentence, no English or code words, one word for one
thing (the glossary below), no yes/no question that starts with a negation, active voice
when the doer is known, buttons that start with the action and links that say what they do.
"""

from __future__ import annotations

import ast
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


# Klarspråk, by class ---------------------------------------------------------------------
#
# Every check below reads what a user sees: the visible text of every template (text between
# tags, {% translate %} and {% blocktranslate %} strings, _("…") arguments, alt, title,
# aria-label and placeholder) and every Swedish string in the code (labels, help texts,
# choices, flash messages, rule messages, export headers, API messages and the API's own
# descriptions). A new page or message is checked the same way.

TEXT_TEMPLATES = sorted([*TEMPLATES, *ROOT.rglob("templates/**/*.txt")])
SWEDISH = re.compile(r"[åäöÅÄÖ]|\b(och|att|inte|som|för|ska|kan|har|är|du|ett|med|på|till)\b")
CODE = re.compile(r"`[^`]*`|\S+\.(?:tar\.gz|csv|xlsx|json|pdf|docx|ics)\b")


def _keep_lines(m: re.Match) -> str:
    return re.sub(r"[^\n]", "\x00", m.group(0))


def visible_template_texts(text: str) -> list[tuple[int, str]]:
    """(line, text) for everything a template shows as words."""
    found = []

    def add(start: int, s: str) -> None:
        s = re.sub(r"\{\{.*?\}\}|\{%.*?%\}", "{}", s, flags=re.S).strip()
        if re.search(r"[A-Za-zÅÄÖåäö]", s):
            found.append((text.count("\n", 0, start) + 1, s))

    for m in re.finditer(r"""\{%\s*(?:translate|trans)\s+(["'])(.*?)\1""", text):
        add(m.start(), m.group(2))
    for m in re.finditer(
        r"\{%\s*blocktranslate\b.*?%\}(.*?)\{%\s*endblocktranslate\s*%\}", text, re.S
    ):
        add(m.start(), m.group(1))
    for m in re.finditer(r"""\b_\((["'])(.*?)\1\)""", text):
        add(m.start(), m.group(2))
    rest = re.sub(r"\{#.*?#\}|\{%.*?%\}|\{\{.*?\}\}|<!--.*?-->", _keep_lines, text, flags=re.S)
    rest = re.sub(r"<(script|style)\b.*?</\1>", _keep_lines, rest, flags=re.S)
    for m in re.finditer(r"""\b(?:alt|title|aria-label|placeholder)=(["'])([^"'\x00]*)\1""", rest):
        add(m.start(), m.group(2))
    rest = re.sub(r"<[^>]*>", _keep_lines, rest, flags=re.S)
    for m in re.finditer(r"[^\x00]+", rest):
        add(m.start(), m.group(0))
    return found


def _python_strings(path: Path) -> list[tuple[int, str]]:
    """(line, text) for every string in a module, f-strings whole with {} for each value.
    Docstrings are code documentation, except in the API, where they are the operations'
    descriptions on /api/docs."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    documented = (ast.Module, ast.ClassDef)
    if "api" not in path.parts:  # an API operation's docstring is its description on /api/docs
        documented += (ast.FunctionDef, ast.AsyncFunctionDef)
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, documented)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    parts, found = set(), []
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            parts.update(id(v) for v in node.values)
            text = "".join(v.value if isinstance(v, ast.Constant) else "{}" for v in node.values)
            found.append((node.lineno, text))
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in parts
            and id(node) not in docstrings
        ):
            found.append((node.lineno, node.value))
    return found


def shown_texts() -> list[tuple[str, str]]:
    """(where, text) for every visible template text and every Swedish string in the code."""
    texts = [
        (f"{p.relative_to(ROOT)}:{line}", s)
        for p in TEXT_TEMPLATES
        for line, s in visible_template_texts(p.read_text(encoding="utf-8"))
    ]
    for p in SOURCES:
        if "migrations" in p.parts:
            continue
        for line, s in _python_strings(p):
            if " " in s.strip() and SWEDISH.search(s):
                texts.append((f"{p.relative_to(ROOT)}:{line}", CODE.sub("{}", s)))
    return texts


SHOWN = shown_texts()


def offending(pattern: re.Pattern) -> list[str]:
    return [f"{where}: {m.group(0)!r} in {s!r}" for where, s in SHOWN for m in pattern.finditer(s)]


def test_the_text_scanner_reads_templates_and_messages():
    """The checks below see what they should: a template's words and the code's messages."""
    seen = {s for _, s in SHOWN}
    assert "Rätta det här och försök igen:" in seen  # a template's {% translate %}
    assert "Felet ligger hos oss, inte hos dig." in " ".join(seen)  # text between tags
    assert "Protokollet är justerat och skickas till deltagarna." in seen  # a flash message
    assert any(s.startswith("Utgiften gör att uppdragets högsta belopp ({} kr)") for s in seen)
    sample = '<p title="Rubrik">{% translate "Spara" %} Hej {{ x }} <b>då</b></p>'
    assert [s for _, s in visible_template_texts(sample)] == ["Spara", "Rubrik", "Hej", "då"]


OFFICIALESE = re.compile(
    r"\b(ej|samtliga|erhåll\w*|erhöll|inneha|innehar|innehade|avseende|i enlighet med|"
    r"härmed|därest|torde|vederbörande|ifrågavarande|beträffande|skall|tillhandahåll\w*|"
    r"nedanstående|ovanstående|erforderlig\w*|åligger|icke\b(?!-binär))\b"
    r"|(?<!\w)(t\.ex\.|m\.m\.|bl\.a\.|d\.v\.s\.|dvs\b|resp\.|fr\.o\.m\.|t\.o\.m\.)",
    re.IGNORECASE,
)


def test_no_officialese_or_abbreviations():
    """Inte (not ej), alla (not samtliga), få (not erhålla), till exempel (not t.ex.) …"""
    assert offending(OFFICIALESE) == []


def test_the_reader_is_du():
    """Samsyn speaks to one reader, as du: not ni/er, and a person is not han or hon."""
    assert offending(re.compile(r"\b(ni|er|era|ert|han|hon|henne|honom)\b", re.IGNORECASE)) == []


QUOTES = re.compile(r"""(?<![=\w\\])["'][^"'\n]*["']|[«»‘’‚]""")


def test_no_straight_or_foreign_quotation_marks_in_shown_text():
    """Words are quoted ”so”, never "so", 'so', «so» or ‘so’ (code in `backticks` aside)."""
    for wrong in ['Välj "Annat skäl".', "Välj 'Annat skäl'.", "Välj «Annat skäl».", "‘Annat’"]:
        assert QUOTES.search(wrong), wrong
    for right in ["Välj ”Annat skäl”.", 'Bearer realm="samsyn"', "Kör `manage.py backup`."]:
        assert not QUOTES.search(CODE.sub("{}", right)), right
    assert offending(QUOTES) == []


def test_rule_ids_follow_the_swedish_text_in_messages():
    """A rule id is said in parentheses after the Swedish sentence, never as a word in it."""
    bare = re.compile(r"\b[RAUJBEFP]\d{1,2}\b")
    bad = []
    for where, s in SHOWN:
        outside = s
        while re.search(r"\([^()]*\)", outside):
            outside = re.sub(r"\([^()]*\)", "", outside)
        bad += [f"{where}: {s!r}" for _ in bare.finditer(outside)]
    assert bad == []


ENGLISH = re.compile(
    r"\b(pipeline|tabba\w*|backup\w*|dashboard|draft|pending|submit\w*|upload\w*|download\w*|"
    r"django|deadline|workflow|feedback|inbox|portal)\b",
    re.IGNORECASE,
)


def test_no_english_or_code_words():
    """Beredningsflöde (not pipeline), säkerhetskopia (not backup), tabbtangenten (not tabba)."""
    assert offending(ENGLISH) == []


# One word for one thing: the word on the right, never the one matched on the left.
GLOSSARY = {
    r"\bägare\b": "projektägare",
    r"(?<!med)(?<!Med)finansiär": "medfinansiär",
    r"\b(e-?mail|mejl)\w*": "e-post",
    r"godkänn\w* protokoll": "justera protokollet",
    r"\bnätverks möte\b": "nätverksmöte",
}


@pytest.mark.parametrize(("word", "say"), GLOSSARY.items(), ids=GLOSSARY.values())
def test_one_word_for_one_thing(word, say):
    assert offending(re.compile(word, re.IGNORECASE)) == [], f"säg {say}"


NEGATIONS = {"ingen", "inget", "inga", "inte", "ej", "icke", "utan", "aldrig"}


def _first_word(s: str) -> str:
    m = re.match(r"\W*([\wåäöÅÄÖ+-]+)", s)
    return m.group(1).lower() if m else ""


def test_yes_no_questions_are_asked_without_a_negation():
    """A Ja/Nej field, column or fact never starts with a negation ("Ingen annan part har
    beslutat …: Nej" is a double negative); say what is true when the answer is Ja."""
    from django import forms
    from django.apps import apps
    from django.db import models

    labels = [
        (f"{m._meta.label}.{f.name}", str(f.verbose_name))
        for m in apps.get_models()
        if m.__module__.startswith("samsyn.")
        for f in m._meta.get_fields()
        if isinstance(f, models.BooleanField)
    ]
    for sub in _all_subclasses(forms.BaseForm):
        if sub.__module__.startswith("samsyn."):
            labels += [
                (f"{sub.__name__}.{name}", str(field.label))
                for name, field in sub.base_fields.items()
                if isinstance(field, forms.BooleanField) and field.label
            ]
    for p in TEXT_TEMPLATES:
        text = p.read_text(encoding="utf-8")
        for m in re.finditer(r"<dt>(.*?)</dt><dd>[^<]*(?:yesno|\"Ja\")", text):
            for _, s in visible_template_texts(m.group(1)):
                labels.append((str(p.relative_to(ROOT)), s))
    assert labels
    assert [(where, s) for where, s in labels if _first_word(s) in NEGATIONS] == []


def _all_subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _all_subclasses(sub)


# Buttons say what they do: an imperative first ("Spara beslutet", "Ta bort punkten").
VERBS = {
    "aktivera",
    "avbryt",
    "avsluta",
    "bekräfta",
    "byt",
    "dela",
    "filtrera",
    "flytta",
    "fortsätt",
    "följ",
    "gå",
    "hantera",
    "hämta",
    "justera",
    "ladda",
    "logga",
    "lägg",
    "läs",
    "planera",
    "prenumerera",
    "påbörja",
    "radera",
    "registrera",
    "skapa",
    "skicka",
    "skriv",
    "spara",
    "stoppa",
    "sök",
    "ta",
    "visa",
    "välj",
    "återkalla",
    "ändra",
    "öppna",
}


def button_texts() -> list[tuple[str, str]]:
    found = []
    button = re.compile(
        r"<button\b[^>]*>(.*?)</button>|<a\b[^>]*class=\"[^\"]*\bbutton\b[^\"]*\"[^>]*>(.*?)</a>",
        re.S,
    )
    for p in TEXT_TEMPLATES:
        for m in button.finditer(p.read_text(encoding="utf-8")):
            inner = m.group(1) or m.group(2)
            for branch in re.split(r"\{%\s*(?:else|elif\b[^%]*)%\}", inner):
                shown = visible_template_texts(branch)
                if shown and not branch.lstrip().startswith("{{"):
                    found.append((str(p.relative_to(ROOT)), " ".join(s for _, s in shown)))
    for p in SOURCES:
        tree = ast.parse(p.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.keyword)
                and node.arg == "button"
                and isinstance(node.value, ast.Constant)
                and isinstance(node.value.value, str)
            ):
                found.append((str(p.relative_to(ROOT)), node.value.value.removeprefix("Ja, ")))
    return found


def test_buttons_start_with_the_action():
    buttons = button_texts()
    assert len(buttons) > 50
    assert [(where, s) for where, s in buttons if _first_word(s) not in VERBS] == []


def test_sentences_say_who_does_what():
    """Active voice when the doer is known: ”Bara kansliet kan registrera beslutet”, not
    ”Beslutet registreras av kansliet”. Short labels (”Justeras av:”) are not sentences."""
    passive = re.compile(r"\b\w{4,}s(?: inte| bara)? av\b")
    bad = [
        f"{where}: {s!r}"
        for where, s in SHOWN
        if len(s.split()) >= 5 and passive.search(s) and not s.rstrip().endswith(":")
    ]
    assert bad == []


def test_links_say_what_they_do_not_just_a_file_format():
    """”Ladda ner som CSV”, not a bare ”csv” link; the same words on every page."""
    bare = re.compile(r"<a\b[^>]*>\s*(csv|xlsx|json|pdf|docx|word|excel|schema)\s*</a>", re.I)
    bad = [
        f"{p.relative_to(ROOT)}: {m.group(0)}"
        for p in TEXT_TEMPLATES
        for m in bare.finditer(p.read_text(encoding="utf-8"))
    ]
    assert bad == []
