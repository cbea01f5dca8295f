"""Rule ids (R6, A1, B1 …) follow the Swedish text in small print and never stand alone (issue 14).

Every page that shows a rule's message shows it through the `rule_ids` filter: error summaries
and field errors, the boxes of what blocks the next step, flash messages. The rule ids are read
from the code (every `Violation("R6", …)` in samsyn/), not kept in a list here.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from django.template import engines
from django.urls import reverse

from samsyn.calls.models import Application
from samsyn.pipeline.steps import IdeaStep
from tests.auth import log_in
from tests.calls.conftest import agreed_idea, calls_person, make_call
from tests.factories import IdeaFactory, NeedFactory, kommun, region

ROOT = Path(__file__).resolve().parents[1] / "samsyn"
ID = re.compile(r"^[A-Z]\d+$")
IN_PARENS = re.compile(r"\(([A-Z]\d+(?:, [A-Z]\d+)*)\)")
SMALL = re.compile(r'<small class="rule-id">\(([A-Z]\d+(?:, [A-Z]\d+)*)\)</small>')


def _text(node: ast.AST, names: dict[str, ast.AST]) -> str:
    """The literal text of a message: strings, f-strings (their fixed parts), sums and the
    module's own string constants."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(
            _text(v, names) if isinstance(v, ast.Constant) else "{}" for v in node.values
        )
    if isinstance(node, ast.BinOp):
        return _text(node.left, names) + _text(node.right, names)
    if isinstance(node, ast.Name) and node.id in names:
        return _text(names[node.id], names)
    return "{}"


def rule_violations() -> list[tuple[str, str, str]]:
    """(rule id, message text, where) for every Violation with a rule id in samsyn/."""
    found = []
    for path in ROOT.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        module = ast.parse(path.read_text(encoding="utf-8"))
        names = {
            target.id: node.value
            for node in module.body
            if isinstance(node, ast.Assign)
            for target in node.targets
            if isinstance(target, ast.Name)
        }
        for node in ast.walk(module):
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "id", getattr(node.func, "attr", "")) == "Violation"
                and len(node.args) >= 2
                and isinstance(node.args[0], ast.Constant)
                and ID.match(str(node.args[0].value))
            ):
                where = f"{path.relative_to(ROOT.parent)}:{node.lineno}"
                found.append((node.args[0].value, _text(node.args[1], names), where))
    return found


RULES = sorted({rule for rule, _, _ in rule_violations()})


def test_the_rules_are_found_in_the_code():
    assert {"R1", "R6", "R7", "R8", "A1", "A6", "B1"} <= set(RULES)


@pytest.mark.parametrize(("rule", "message", "where"), rule_violations())
def test_a_rule_message_names_ids_only_in_parentheses_after_swedish_text(rule, message, where):
    """ "… saknas för: Borås stad (R6)." – never "R6" alone in the text, never "(R6)" first."""
    outside = IN_PARENS.sub("", message)
    assert not re.search(r"\b[A-Z]\d+\b", outside), f"{where}: a rule id stands alone"
    for m in IN_PARENS.finditer(message):
        before = message[: m.start()]  # "{}": text the code fills in, e.g. a refusal's reason
        assert re.search(r"[a-zåäö]{3,}|\{\}", before), f"{where}: {m.group(0)} first"
    if "{}" not in message:  # a message fixed in the code names its own rule, if any
        named = {i for m in IN_PARENS.finditer(message) for i in m.group(1).split(", ")}
        assert not named or rule in named, f"{where}: names {named}, not {rule}"


@pytest.mark.parametrize("rule", RULES)
def test_filter_puts_each_id_in_small_print_after_the_text(rule):
    template = engines["django"].from_string("<li>{{ message|rule_ids }}</li>")
    html = template.render({"message": f"Något saknas för Marks kommun & Borås stad ({rule})."})
    assert html == (
        f'<li>Något saknas för Marks kommun &amp; Borås stad <small class="rule-id">({rule})'
        "</small>.</li>"
    )


def test_filter_escapes_the_message_and_leaves_other_parentheses():
    template = engines["django"].from_string("{{ m|rule_ids }}")
    html = template.render({"m": "<b>Västsverige (SE23)</b> (A2, A3)"})
    assert html == '&lt;b&gt;Västsverige (SE23)&lt;/b&gt; <small class="rule-id">(A2, A3)</small>'


def assert_ids_in_small_print(html: str, expected: set[str]) -> None:
    """Every rule id on the page is in the small element, after Swedish text in its element."""
    main = html[html.index("<main") : html.index("</main>")]
    bare = [
        main[max(0, m.start() - 60) : m.end()]
        for m in IN_PARENS.finditer(main)
        if not main[: m.start()].endswith('<small class="rule-id">')
    ]
    assert bare == [], bare
    found = set()
    for m in SMALL.finditer(main):
        before = main[: m.start()]
        start = max(before.rfind(f"<{tag}") for tag in ("li", "th", "p", "label", "legend", "a"))
        text = re.sub(r"<[^>]*>", "", before[start:]).strip()
        assert re.search(r"[a-zåäö]{3,}", text), f"no text before {m.group(0)}"
        found |= set(m.group(1).split(", "))
    assert expected <= found, (expected, found)


@pytest.fixture
def unready_idea(sjuharad):
    """Borås stad owns; no party has a mandate yet (R6 blocks owner_agreed)."""
    idea = IdeaFactory(need=NeedFactory(forbund=sjuharad), step=IdeaStep.IDEA_DESIGNED)
    idea.owner = kommun("1490")
    idea.save()
    idea.parties.create(organisation=kommun("1490"), is_cofinancier=True)
    return idea


@pytest.mark.django_db
def test_blockers_box_and_parties_table(client, alice, unready_idea):
    log_in(client, alice)
    page = client.get(reverse("idea", args=[unready_idea.pk])).content.decode()
    assert "Det här hindrar nästa steg" in page
    assert_ids_in_small_print(page, {"R6", "R7"})


@pytest.mark.django_db
def test_refused_step_error_summary(client, alice, unready_idea):
    log_in(client, alice)
    response = client.post(
        reverse("idea_move", args=[unready_idea.pk]),
        {"to": "owner_agreed", "forum": "beredningsgrupp", "version": unready_idea.version},
    )
    page = response.content.decode()
    assert "Steget sparades inte" in page
    summary = page[
        page.index('class="error-summary"') : page.index("</div>", page.index("error-summary"))
    ]
    assert SMALL.search(summary) and "(R6)" in summary
    assert_ids_in_small_print(page, {"R6"})


@pytest.fixture
def stina(db):
    from samsyn.calls.choices import CallsRoleKind

    return calls_person("stina", CallsRoleKind.CALL_MANAGER, "SE23")


@pytest.fixture
def application(sjuharad, stina, bob):
    from samsyn.calls import services

    idea = agreed_idea(sjuharad, kommun("1490"), [region("14")])
    return services.draft_application(idea, make_call(stina), by=bob)


@pytest.mark.django_db
def test_application_blockers_box_and_budget_refusal(client, bob, application):
    log_in(client, bob)
    page = client.get(reverse("application", args=[application.pk])).content.decode()
    assert "Det här hindrar att ansökan skickas" in page
    assert_ids_in_small_print(page, {"A1", "R7"})
    # A budget line before the project period: the form's error summary names R8.
    response = client.post(
        reverse("application_budget", args=[application.pk]),
        {
            "budget-version": application.version,
            "budget-year": "2027",
            "budget-category": "personnel",
            "budget-amount_sek": "5",
        },
    )
    page = response.content.decode()
    assert "Ange projektperioden innan budgeten" in page
    assert_ids_in_small_print(page, {"R8"})


@pytest.mark.django_db
def test_flash_message_of_a_refused_action(client, bob, application):
    log_in(client, bob)
    response = client.post(
        reverse("application_create", args=[application.idea.pk, application.call.pk]),
        {"basis_date": "2026-01-01"},
        follow=True,
    )
    assert Application.objects.filter(idea=application.idea).count() == 1
    page = response.content.decode()
    assert 'class="messages"' in page
    assert_ids_in_small_print(page, {"A0"})


@pytest.mark.django_db
def test_refused_call_form(client, stina):
    """Programme area D is for Norrland: a call in Västsverige is refused by R9."""
    import datetime as dt

    from tests.calls.conftest import TODAY, area, plan

    log_in(client, stina)
    response = client.post(
        reverse("call_create"),
        {
            "title": "Glesbygd i väst",
            "period": area("D").period.pk,
            "programme_area": area("D").pk,
            "decision_level": "regional",
            "regional_plan": plan("SE23").pk,
            "budget_sek": "5000000",
            "min_participant_age": "16",
            "opens_on": TODAY.isoformat(),
            "closes_on": (TODAY + dt.timedelta(days=60)).isoformat(),
        },
    )
    assert response.status_code == 200
    assert_ids_in_small_print(response.content.decode(), {"R9"})
