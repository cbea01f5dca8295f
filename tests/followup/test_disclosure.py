"""Disclosure control (issue 13 §1): outside a project's own staff, no participant figure on any
page, API answer or export lets anyone compute a count below SAMSYN_MIN_CELL (5).

The checks here do not trust samsyn.followup.disclosure: they take what a reader receives,
compare it with the exact counts, and try what an attacker would — every visible figure, every
total minus the other visible cells, and the bounds that "färre än 5" and "dolt" give away.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import re

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from samsyn.followup import labels
from samsyn.followup.choices import RESULT_FIELDS, SENSITIVE_FIELDS
from samsyn.followup.models import Participant, PersonalDataAccess
from samsyn.followup.results import indicator_report, project_results
from samsyn.parties.services import issue_api_token
from tests.auth import log_in

K = 5
GENDERS = ("woman", "man", "non_binary")
COLUMNS = (*GENDERS, "total")
SNAKE = re.compile(r"\b[a-z0-9]+(?:_[a-z0-9]+)+\b")

# What a reader learns from a cell: the value, or bounds.
VISIBLE, SMALL, SECONDARY, WITHHELD = "visible", "small", "secondary", "withheld"


def read_text(text: str):
    """A cell as the page and the exports show it."""
    text = text.strip()
    digits = text.replace("\u202f", "").replace("\u2009", "").replace(" ", "")
    if digits.isdigit():
        return (VISIBLE, int(digits))
    if text in ("färre än 5", "Färre än 5"):
        return (SMALL, None)
    if text == "dolt":
        return (SECONDARY, None)
    assert text == "visas inte uppdelat", text
    return (WITHHELD, None)


def read_json(cell: dict):
    if not cell["suppressed"]:
        return (VISIBLE, cell["value"])
    assert cell["value"] is None
    kinds = {"small": SMALL, "secondary": SECONDARY, "not_broken_down": WITHHELD}
    return (kinds[cell["reason"]], None)


def known(shown, positive=False) -> tuple[float, float]:
    """What "färre än 5" and "dolt" (5 or more, hidden to protect another cell) give away."""
    kind, value = shown
    if kind == VISIBLE:
        return value, value
    if kind == SMALL:
        return (1 if positive else 0), K - 1
    return (K if kind == SECONDARY else 0), math.inf


def assert_group_safe(truth, shown, total, parts, where: str, positive=()) -> None:
    """No hidden cell of `total = sum(parts)` below K can be pinned down. Cells missing from
    `shown` are never published (a complement, like the "no" answers); `positive` cells are
    known to be at least 1."""
    cells = [total, *parts]
    bounds = {c: known(shown[c], c in positive) if c in shown else (0, math.inf) for c in cells}
    for cell in cells:
        if truth[cell] >= K or (cell in shown and shown[cell][0] == VISIBLE):
            continue
        others = [p for p in parts if p != cell]
        if cell == total:
            lo, hi = sum(bounds[p][0] for p in parts), sum(bounds[p][1] for p in parts)
        else:
            lo = bounds[total][0] - sum(bounds[p][1] for p in others)
            hi = bounds[total][1] - sum(bounds[p][0] for p in others)
        lo, hi = max(lo, bounds[cell][0]), min(hi, bounds[cell][1])
        assert lo < hi, f"{where}: {cell} = {truth[cell]} follows from {total} = {parts}"


def assert_indicators_safe(exact: dict, shown: dict, where: str) -> None:
    """`shown[(row, gender)]` as read from a response, against the exact indicator report."""
    truth = {(row, g): n for row, by in exact.items() for g, n in by.items()}
    assert set(shown) == set(truth), where
    for cell, (kind, value) in shown.items():
        if kind == VISIBLE:
            assert value == truth[cell] and value >= K, f"{where}: {cell} shows {value}"
    for row in art9_rows():
        for g in GENDERS:
            assert shown[(row, g)][0] != VISIBLE, f"{where}: art. 9 {row} by {g}"

    def complement(name, whole, parts):
        for g in COLUMNS:
            truth[(name, g)] = truth[(whole, g)] - sum(truth[(p, g)] for p in parts)

    complement("short", "unemployed", ["long_term_unemployed"])
    complement("age_30_54", "total", ["under_18", "age_18_29", "age_55_plus"])
    complement("no_education", "total", ["isced_0_2", "isced_3_4", "isced_5_8"])
    for s in SENSITIVE_FIELDS:
        complement(f"{s}_no", "total", [s, f"{s}_declined"])
    for r in RESULT_FIELDS:
        complement(f"{r}_no", "total", [r])
    groups = [((row, "total"), [(row, g) for g in GENDERS]) for row in {r for r, _ in truth}]
    for g in COLUMNS:
        groups.append((("total", g), [(x, g) for x in ("unemployed", "inactive", "employed")]))
        groups.append((("unemployed", g), [("long_term_unemployed", g), ("short", g)]))
        ages = ["under_18", "age_18_29", "age_30_54", "age_55_plus"]
        groups.append((("total", g), [(a, g) for a in ages]))
        levels = ["isced_0_2", "isced_3_4", "isced_5_8", "no_education"]
        groups.append((("total", g), [(e, g) for e in levels]))
        for s in SENSITIVE_FIELDS:
            groups.append((("total", g), [(s, g), (f"{s}_declined", g), (f"{s}_no", g)]))
        for r in RESULT_FIELDS:
            groups.append((("total", g), [(r, g), (f"{r}_no", g)]))
    for total, parts in groups:
        assert_group_safe(truth, shown, total, parts, where)


def art9_rows():
    return ["disability", "disability_declined", "minority", "minority_declined"]


# Reading each door ----------------------------------------------------------------------------


def api_indicators(client, token, **params) -> tuple[dict, dict]:
    response = client.get(
        "/api/v1/followup/indicators", params, headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 200, response.content
    body = response.json()
    cells = {(r, g): read_json(c) for r, by in body["indicators"].items() for g, c in by.items()}
    return body, cells


ROW = re.compile(r'<tr data-indicator="([^"]+)"><th scope="row">[^<]*</th>((?:<td>[^<]*</td>){4})')


def page_indicators(client, **params) -> dict:
    html = client.get("/uppfoljning/", params).content.decode()
    cells = {}
    for key, tds in ROW.findall(html):
        values = re.findall(r"<td>([^<]*)</td>", tds)
        cells.update({(key, g): read_text(v) for g, v in zip(COLUMNS, values, strict=True)})
    return cells


LABEL_TO_KEY = {str(v): k for k, v in labels.INDICATORS.items()}
GENDER_TO_KEY = {str(v): k for k, v in labels.GENDERS.items()}
PART = "Deltagare: EU:s gemensamma indikatorer"


def export_cells(rows) -> dict:
    cells = {}
    for row in rows:
        if len(row) == 4 and row[0] == PART:
            value = row[3]
            shown = (VISIBLE, value) if isinstance(value, int) else read_text(str(value))
            cells[(LABEL_TO_KEY[row[1]], GENDER_TO_KEY[row[2]])] = shown
    return cells


def csv_rows(client, **params) -> tuple[str, list]:
    text = client.get("/uppfoljning/rapport.csv", params).content.decode("utf-8-sig")
    return text, list(csv.reader(io.StringIO(text), delimiter=";"))


def xlsx_rows(client, **params) -> list:
    from openpyxl import load_workbook

    response = client.get("/uppfoljning/rapport.xlsx", params)
    sheet = load_workbook(io.BytesIO(response.content)).active
    return list(sheet.iter_rows()), [[c.value for c in row] for row in sheet.iter_rows()]


def pdf_text(client, **params) -> str:
    from pypdf import PdfReader

    response = client.get("/uppfoljning/rapport.pdf", params)
    assert response.content.startswith(b"%PDF")
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)


# Scenes -----------------------------------------------------------------------------------------


def add(project, *people) -> None:
    Participant.objects.bulk_create(
        Participant(idea=project, code=f"D-{i:04d}", **p) for i, p in enumerate(people, 1)
    )


def person(started: str, **fields) -> dict:
    data = {
        "started_on": dt.date.fromisoformat(started),
        "gender": "woman",
        "age_band": "age_30_54",
        "labour_status": "unemployed",
        "education": "isced_3_4",
    }
    data.update(fields)
    return data


@pytest.fixture
def issue_example(running_idea):
    """The probe's example: one man, long-term unemployed, ISCED 0–2, foreign background, who
    started on 2026-07-28, among fourteen women that year."""
    add(
        running_idea,
        person(
            "2026-07-28",
            gender="man",
            labour_status="long_term_unemployed",
            education="isced_0_2",
            foreign_background="yes",
            disability="yes",
            minority="yes",
        ),
        *(person(f"2026-03-{d:02d}", disability="yes" if d < 8 else "no") for d in range(1, 15)),
    )
    return running_idea


ONE_DAY = {"from": "2026-07-28", "to": "2026-07-28"}


def test_disclosure_control_closes_the_issue_example_on_api_page_and_exports(
    client, issue_example, erik
):
    exact = indicator_report(Participant.objects.all())
    assert exact["long_term_unemployed"]["man"] == 1  # what the probe got before

    body, api = api_indicators(client, issue_api_token(erik), **ONE_DAY)
    # A one-day period is widened to its calendar year: narrowing day by day tells nothing.
    assert body["period"] == {"from": "2026-01-01", "to": "2026-12-31"}
    assert body["min_cell"] == K
    assert_indicators_safe(exact, api, "API")
    assert api[("long_term_unemployed", "man")] == (SMALL, None)
    other_day = api_indicators(client, issue_api_token(erik), **{"from": "2026-07-27"})[1]
    assert other_day == api

    log_in(client, erik)
    page = page_indicators(client, **ONE_DAY)
    assert_indicators_safe(exact, page, "page")

    text, rows = csv_rows(client, **ONE_DAY)
    assert_indicators_safe(exact, export_cells(rows), "csv")
    cells, values = xlsx_rows(client, **ONE_DAY)
    assert_indicators_safe(exact, export_cells(values), "xlsx")
    numbers = [c for row in cells for c in row if isinstance(c.value, int)]
    assert numbers and all(c.number_format == "#,##0" for c in numbers)
    for lines in (text, pdf_text(client, **ONE_DAY), *map(str, values)):
        assert not SNAKE.search(lines), SNAKE.search(lines)
    pdf = pdf_text(client, **ONE_DAY)
    for lines in (text, pdf):
        assert "Sjuhärads samordningsförbund" in lines
        assert "2026-01-01 – 2026-12-31" in lines and "färre än 5" in lines
    # The PDF's participant lines carry no count below 5 either.
    for line in pdf.splitlines():
        if any(str(g) in line for g in labels.GENDERS.values()) and "indikatorer" in line:
            for n in re.findall(r"(?<![\d–-])(\d+)\s*$", line):
                assert int(n) >= K, line


def test_disclosure_control_never_breaks_art9_down_by_gender(client, running_idea, erik):
    """GDPR art. 9: disability and minority only as a total over the whole time, however many
    there are: never by gender, never for part of the time."""
    add(
        running_idea,
        *(person(f"2025-0{m}-01", disability="yes", minority="yes") for m in range(1, 10)),
        *(person(f"2025-0{m}-02", gender="man", disability="yes") for m in range(1, 8)),
        # Without people who answered "no", 16 of 16 would tell each one's answer.
        *(person(f"2025-0{m}-03", disability="no", minority="no") for m in range(1, 10)),
    )
    token = issue_api_token(erik)
    part = api_indicators(client, token, **{"from": "2025-01-01"})[0]["indicators"]
    for row in art9_rows():
        for g in COLUMNS:  # for part of the time: not even the total
            assert part[row][g]["reason"] == "not_broken_down"
    body, api = api_indicators(client, token)
    for row in ("disability", "minority"):
        for g in GENDERS:
            assert body["indicators"][row][g] == {
                "value": None,
                "suppressed": True,
                "reason": "not_broken_down",
            }
    assert body["indicators"]["disability"]["total"] == {"value": 16, "suppressed": False}
    assert body["indicators"]["minority"]["total"] == {"value": 9, "suppressed": False}
    # Other indicators are broken down as long as the cells are large enough.
    assert body["indicators"]["total"]["woman"] == {"value": 18, "suppressed": False}
    log_in(client, erik)
    html = client.get("/uppfoljning/").content.decode()
    row = re.search(r'<tr data-indicator="disability">.*?</tr>', html).group(0)
    assert row.count("visas inte uppdelat") == 3 and ">16<" in row


def test_disclosure_control_gives_project_staff_exact_figures_and_logs_it(
    client, running_idea, alice, bob, erik
):
    add(running_idea, *(person(f"2025-06-0{d}", ended_on=dt.date(2025, 9, 1)) for d in (1, 2)))
    log_in(client, erik)
    page = client.get(f"/projektideer/{running_idea.pk}/resultat/").content.decode()
    assert "Totalt färre än 5 deltagare" in page
    assert not PersonalDataAccess.objects.exists()

    log_in(client, bob)  # staff of this project
    page = client.get(f"/projektideer/{running_idea.pk}/resultat/").content.decode()
    assert "Totalt 2 deltagare" in page
    api = client.get(
        f"/api/v1/followup/ideas/{running_idea.pk}/results",
        headers={"Authorization": f"Bearer {issue_api_token(bob)}"},
    ).json()
    assert api["participants_total"] == {"value": 2, "suppressed": False}
    assert api["disclosure"]["exact"] is True
    log = PersonalDataAccess.objects.filter(action="figures")
    assert log.count() == 2 and {(r.idea_id, r.user_id) for r in log} == {(running_idea.pk, bob.pk)}
    # Staff of one project are not staff of another: there they get protected figures.
    from tests.followup.scene import running_project

    other = running_project(running_idea.need.forbund, alice, erik)
    add(other, person("2025-06-01"))
    page = client.get(f"/projektideer/{other.pk}/resultat/").content.decode()
    assert "Totalt färre än 5 deltagare" in page
    assert log.count() == 2


def test_disclosure_control_of_results_keeps_the_denominator_story(client, running_idea, erik):
    """The README's example: 15 of 21 took part most of the period, 11 of those 15 got work.
    A reader sees 15 and 21, but not the 4 without work, nor anything that gives them away."""
    start = dt.date(2025, 6, 1)
    most = [
        person(str(start), ended_on=start + dt.timedelta(days=120), employed_on_leaving=i < 11)
        for i in range(15)
    ]
    early = [
        person(str(start), ended_on=start + dt.timedelta(days=20), employed_on_leaving=i < 2)
        for i in range(6)
    ]
    add(running_idea, *most, *early)
    token = issue_api_token(erik)
    chosen = client.get(
        f"/api/v1/followup/ideas/{running_idea.pk}/results",
        {"min_share": 50},
        headers={"Authorization": f"Bearer {token}"},
    ).json()
    assert chosen["denominator"]["count"] == {"value": 15, "suppressed": False}
    assert chosen["participants_total"] == {"value": 21, "suppressed": False}
    assert_results_safe(client, running_idea, token)
    other = client.get(
        f"/api/v1/followup/ideas/{running_idea.pk}/results",
        {"min_share": 51},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert other.status_code == 422  # only staff choose another denominator


def assert_results_safe(client, project, token) -> None:
    headers = {"Authorization": f"Bearer {token}"}
    url = f"/api/v1/followup/ideas/{project.pk}/results"
    tables = {
        "all": (client.get(url, headers=headers).json(), project_results(project)),
        "chosen": (
            client.get(url, {"min_share": 50}, headers=headers).json(),
            project_results(project, 50),
        ),
    }
    truth, shown = {}, {}
    for column, (body, exact) in tables.items():
        truth[(column, "den")] = exact["denominator"]["count"]
        shown[(column, "den")] = read_json(body["denominator"]["count"])
        for name, r in exact["results"].items():
            got = body["results"][name]
            for f in ("count", "unknown"):
                truth[(name, column, f)] = r[f]
                shown[(name, column, f)] = read_json(got[f])
            truth[(name, column, "no")] = r["denominator"] - r["count"] - r["unknown"]
            if got["percent"] is not None:
                assert not got["count"]["suppressed"] and not got["denominator"]["suppressed"]
    for cell, (kind, value) in shown.items():
        if kind == VISIBLE:
            assert value == truth[cell] and value >= K, cell
    groups = []
    if tables["chosen"][1]["denominator"]["rule"] != "all":
        truth[("rest", "den")] = truth[("all", "den")] - truth[("chosen", "den")]
        groups.append((("all", "den"), [("chosen", "den"), ("rest", "den")]))
        for name in RESULT_FIELDS:
            for f in ("count", "unknown", "no"):
                truth[(name, "rest", f)] = truth[(name, "all", f)] - truth[(name, "chosen", f)]
                groups.append(((name, "all", f), [(name, "chosen", f), (name, "rest", f)]))
            parts = [(name, "rest", f) for f in ("count", "unknown", "no")]
            groups.append((("rest", "den"), parts))
    for column in ("all", "chosen"):
        for name in RESULT_FIELDS:
            parts = [(name, column, f) for f in ("count", "unknown", "no")]
            groups.append(((column, "den"), parts))
    for total, parts in groups:
        assert_group_safe(truth, shown, total, parts, "results")


# The property: random participants, random periods -------------------------------------------

DAY0 = dt.date(2025, 1, 1)
answers = st.sampled_from(["yes", "no", "declined", ""])
participants = st.lists(
    st.fixed_dictionaries(
        {
            "started": st.integers(0, 900),
            "length": st.one_of(st.none(), st.integers(0, 300)),
            "gender": st.sampled_from(GENDERS),
            "age_band": st.sampled_from(["under_18", "age_18_29", "age_30_54", "age_55_plus"]),
            "labour_status": st.sampled_from(
                ["unemployed", "long_term_unemployed", "inactive", "employed"]
            ),
            "education": st.sampled_from(["isced_0_2", "isced_3_4", "isced_5_8", ""]),
            "disability": answers,
            "minority": answers,
            "foreign_background": answers,
            "employed_on_leaving": st.sampled_from([True, False, None]),
        }
    ),
    max_size=40,
)
day = st.one_of(st.none(), st.integers(0, 900).map(lambda n: DAY0 + dt.timedelta(days=n)))


@settings(
    max_examples=20,
    deadline=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],  # no long shrinking on 2 cores
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(people=participants, start=day, end=day)
def test_disclosure_control_no_response_reveals_a_small_count(
    client, running_idea, erik, people, start, end
):
    if start and end and start > end:
        start, end = end, start
    Participant.objects.all().delete()
    add(
        running_idea,
        *(
            {
                **{k: v for k, v in p.items() if k not in ("started", "length")},
                "started_on": DAY0 + dt.timedelta(days=p["started"]),
                "ended_on": (
                    DAY0 + dt.timedelta(days=p["started"] + p["length"])
                    if p["length"] is not None
                    else None
                ),
            }
            for p in people
        ),
    )
    params = {k: str(v) for k, v in (("from", start), ("to", end)) if v}
    token = issue_api_token(erik)
    body, api = api_indicators(client, token, **params)
    years = {k: dt.date.fromisoformat(v) if v else None for k, v in body["period"].items()}
    chosen = Participant.objects.all()
    if years["from"]:
        chosen = chosen.filter(started_on__gte=years["from"])
    if years["to"]:
        chosen = chosen.filter(started_on__lte=years["to"])
    exact = indicator_report(chosen)
    assert_indicators_safe(exact, api, "API")
    log_in(client, erik)
    assert_indicators_safe(exact, page_indicators(client, **params), "page")
    assert_results_safe(client, running_idea, token)
    assert_timeline_safe(client, running_idea, token)


def assert_timeline_safe(client, project, token) -> None:
    """Months with few participants are left out; what the shown months leave of the total
    is 0 or at least 5."""
    events = client.get(
        f"/api/v1/followup/ideas/{project.pk}/timeline",
        headers={"Authorization": f"Bearer {token}"},
    ).json()
    people = Participant.objects.filter(idea=project)
    total = people.count()
    results = [e["title"] for e in events if e["kind"] == "results"]
    shown_total = (SMALL, None)
    if results:
        shown_total = read_text(re.search(r" av (.+?) deltagare", results[0]).group(1))
    for field, verb in (("started_on", "började"), ("ended_on", "slutade")):
        shown = 0
        for event in (e for e in events if e["title"].endswith(f"deltagare {verb}")):
            on = dt.date.fromisoformat(event["on"])
            n = people.filter(**{f"{field}__year": on.year, f"{field}__month": on.month}).count()
            value = int(event["title"].split(" deltagare")[0].replace("\u202f", ""))
            assert value == n >= K, event
            shown += n
        if shown_total[0] == VISIBLE:
            assert shown_total[1] == total
            assert total - shown == 0 or total - shown >= K, (verb, total, shown)
    for text in [e["title"] for e in events] + [e["detail"] for e in events]:
        assert not SNAKE.search(text), text


def test_disclosure_control_threshold_is_a_setting(settings, client, issue_example, erik):
    settings.SAMSYN_MIN_CELL = 20
    body, _cells = api_indicators(client, issue_api_token(erik))
    assert body["min_cell"] == 20
    assert body["indicators"]["total"]["total"]["suppressed"] is True  # 15 < 20


def test_disclosure_control_two_selections_tell_nothing_by_difference(client, running_idea, erik):
    """2025–2026 minus 2025 is 2026: a cell that 2026 hides stays hidden in 2025–2026 too."""
    add(
        running_idea,
        *(person(f"2025-0{m}-01", labour_status="long_term_unemployed") for m in range(1, 9)),
        *(person(f"2026-0{m}-01", labour_status="long_term_unemployed") for m in range(1, 4)),
        *(person(f"2026-0{m}-02") for m in range(1, 9)),
    )
    token = issue_api_token(erik)
    both = api_indicators(client, token, **{"from": "2025-01-01", "to": "2026-12-31"})[1]
    first = api_indicators(client, token, **{"from": "2025-01-01", "to": "2025-12-31"})[1]
    second = api_indicators(client, token, **{"from": "2026-01-01", "to": "2026-12-31"})[1]
    assert second[("long_term_unemployed", "woman")] == (SMALL, None)  # 3 in 2026
    for cell, (kind, value) in both.items():
        if kind == VISIBLE and first[cell][0] == VISIBLE:
            assert value - first[cell][1] >= K, cell
            assert second[cell] == (VISIBLE, value - first[cell][1])


def test_disclosure_control_two_forbund_minus_one_tells_nothing(
    client, running_idea, erik, alv_och_kust, mallory
):
    """A reader of two förbund: both minus one is the other, which hides its small cells."""
    from samsyn.parties.models import ForbundRole
    from tests.followup.scene import running_project

    ForbundRole.objects.create(user=erik, forbund=alv_och_kust, role="reader")
    other = running_project(alv_och_kust, mallory, mallory)
    add(running_idea, *(person(f"2025-0{m}-01", gender="man") for m in range(1, 9)))
    add(other, *(person(f"2025-0{m}-02", gender="man") for m in range(1, 4)))
    add(other, *(person(f"2025-0{m}-03") for m in range(1, 9)))
    token = issue_api_token(erik)
    both = api_indicators(client, token, forbund=[running_idea.need.forbund_id, alv_och_kust.pk])
    one = api_indicators(client, token, forbund=running_idea.need.forbund_id)[1]
    alone = api_indicators(client, token, forbund=alv_och_kust.pk)[1]
    assert alone[("total", "man")] == (SMALL, None)  # 3 men in Älv och Kust
    for cell, (kind, value) in both[1].items():
        if kind == VISIBLE and one[cell][0] == VISIBLE:
            assert alone[cell] == (VISIBLE, value - one[cell][1]), cell
