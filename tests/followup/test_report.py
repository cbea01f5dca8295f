"""Each follow-up figure on a hand-built pipeline whose right answer is written here.

Sjuhärad, period 2025-01-01 – 2025-12-31:
  need A identified 2025-03-01 in the structure; need B 2024-12-01; need C 2025-02-01 outside it.
  1 (A, Borås; co-financed by Borås and VGR, AF takes part without co-financing):
    submitted 2025-05-10, granted 2025-08-01
  2 (A, FK; co-financed by FK and VGR): submitted 2025-06-01, rejected 2025-09-01
  3 (B, AF): stopped 2025-04-01, no owner
  4 (A): left the routine 2025-03-15, target group outside Finsam
  5 (A): nothing yet
  6 (B, Borås): submitted 2024-12-20, stopped 2025-02-01 (it did lead to an application)
  7 (C): nothing yet, but its need was not identified in the structure
  8 (A): stopped 2026-01-10, after the period
Älv och Kust: 9 (need 2025-01-10): submitted 2025-05-01 – never in Sjuhärad's figures.
"""

import pytest

from samsyn.followup.querysets import Period
from samsyn.followup.report import ReportParams, figure_ideas, followup_report, rollup
from samsyn.parties.models import Forbund
from tests.factories import add_party, af, fk, kommun, region
from tests.followup.scene import d, idea, measure, need

YEAR_2025 = Period(d("2025-01-01"), d("2025-12-31"))


@pytest.fixture
def pipeline(sjuharad, alv_och_kust, alice, mallory):
    a = need(sjuharad, "2025-03-01")
    b = need(sjuharad, "2024-12-01")
    c = need(sjuharad, "2025-02-01", in_structure=False)
    ideas = {}
    ideas[1] = idea(
        a, alice, ("submitted", "2025-05-10"), ("granted", "2025-08-01"), owner=kommun("1490")
    )
    add_party(ideas[1], kommun("1490"))
    add_party(ideas[1], region("14"))
    add_party(ideas[1], af(), cofinancier=False)
    ideas[2] = idea(a, alice, ("submitted", "2025-06-01"), ("rejected", "2025-09-01"), owner=fk())
    add_party(ideas[2], fk())
    add_party(ideas[2], region("14"))
    ideas[3] = idea(b, alice, ("stopped", "2025-04-01"), owner=af(), stop_reason="no_owner")
    ideas[4] = idea(a, alice, ("left_routine", "2025-03-15"), left="target_group_outside_finsam")
    ideas[5] = idea(a, alice)
    ideas[6] = idea(
        b,
        alice,
        ("submitted", "2024-12-20"),
        ("stopped", "2025-02-01"),
        owner=kommun("1490"),
        stop_reason="other",
    )
    ideas[7] = idea(c, alice)
    ideas[8] = idea(a, alice, ("stopped", "2026-01-10"), stop_reason="not_prioritised")
    ideas[9] = idea(
        need(alv_och_kust, "2025-01-10"), mallory, ("submitted", "2025-05-01"), owner=kommun("1482")
    )
    return ideas


def sjuharad_only():
    return Forbund.objects.filter(organisation__name__startswith="Sjuhärad")


def report_2025(**kwargs):
    return followup_report(ReportParams(sjuharad_only(), YEAR_2025, **kwargs))


def test_ideas_identified_counts_ideas_whose_need_was_identified_in_the_structure(pipeline):
    assert report_2025()["track_e"]["ideas_identified"] == 5  # 1, 2, 4, 5, 8


def test_led_to_application_counts_submissions_dated_in_the_period(pipeline):
    assert report_2025()["track_e"]["ideas_led_to_application"] == 2  # 1, 2 (6 was in 2024)


def test_granted_and_rejected_by_the_date_of_esf_radets_decision(pipeline):
    e = report_2025()["track_e"]
    assert (e["applications_granted"], e["applications_rejected"]) == (1, 1)


def test_stopped_without_application_by_reason_apart_from_those_that_applied(pipeline):
    stopped = report_2025()["track_e"]["ideas_stopped_without_application"]
    assert stopped == {
        "total": 2,
        "by_reason": {"no_owner": 1, "target_group_outside_finsam": 1},
    }


def test_in_progress_is_a_snapshot_at_the_end_of_the_period(pipeline):
    assert report_2025()["track_e"]["ideas_in_progress"] == 2  # 5, and 8 (stopped in 2026)


def test_owners_by_kind_and_organisation_of_the_ideas_that_applied(pipeline):
    e = report_2025()["track_e"]
    assert e["owners_by_kind"] == {"af": 0, "fk": 1, "kommun": 1, "region": 0, "other": 0}
    assert {(o["name"], o["count"]) for o in e["owners_by_organisation"]} == {
        ("Borås stad", 1),
        ("Försäkringskassan", 1),
    }


def test_cofinanciers_count_each_idea_once_per_kind(pipeline):
    e = report_2025()["track_e"]
    assert e["cofinanciers_by_kind"] == {"af": 0, "fk": 1, "kommun": 1, "region": 2, "other": 0}
    assert [(o["name"], o["count"]) for o in e["cofinanciers_by_organisation"]] == [
        ("Västra Götalandsregionen", 2),
        ("Borås stad", 1),
        ("Försäkringskassan", 1),
    ]


def test_a_transition_without_basis_date_counts_on_the_day_it_was_registered(sjuharad, alice):
    import datetime as dt

    idea(need(sjuharad, "2025-01-01"), alice, ("submitted", None))
    today = dt.date.today()
    params = ReportParams(sjuharad_only(), Period(today, today))
    assert followup_report(params)["track_e"]["ideas_led_to_application"] == 1


def test_each_figure_lists_the_ideas_behind_it(pipeline):
    params = ReportParams(sjuharad_only(), YEAR_2025)
    assert set(figure_ideas(params, "ideas_in_progress")) == {pipeline[5], pipeline[8]}
    assert list(figure_ideas(params, "owners", kind="fk")) == [pipeline[2]]
    assert list(figure_ideas(params, "cofinanciers", kind="kommun")) == [pipeline[1]]
    stopped = figure_ideas(params, "ideas_stopped_without_application", reason="no_owner")
    assert list(stopped) == [pipeline[3]]


def test_report_is_one_query_per_figure(pipeline, django_assert_num_queries):
    params = ReportParams(sjuharad_only(), YEAR_2025)
    # Track E: 10 figures; track F: 8; the names of the förbund: 1; per beredningsgrupp: three
    # figures and the groups' names.
    with django_assert_num_queries(23):
        followup_report(params)


def test_track_f_figures(sjuharad, alice):
    a = need(sjuharad, "2025-03-01")
    b = need(sjuharad, "2024-12-01")
    measure(a, alice, ("board_decided", "2025-05-01"), parties=[kommun("1490"), region("14")])
    measure(a, alice, ("board_declined", "2025-06-01"))
    measure(a, alice, ("stopped", "2025-07-01"), stop_reason="need_met_otherwise")
    measure(a, alice)
    measure(
        b, alice, ("board_decided", "2024-12-30"), ("stopped", "2025-03-01"), stop_reason="other"
    )
    f = report_2025(track="f")["track_f"]
    assert f == {
        "needs_identified": 1,
        "measures_identified": 4,
        "measures_board_decided": 1,
        "measures_board_declined": 1,
        "measures_stopped_without_decision": {
            "total": 1,
            "by_reason": {"need_met_otherwise": 1},
        },
        "measures_in_progress": 1,
        "parties_by_kind": {"af": 0, "fk": 0, "kommun": 1, "region": 1, "other": 0},
        "parties_by_organisation": [
            {"id": kommun("1490").pk, "name": "Borås stad", "kind": "kommun", "count": 1},
            {
                "id": region("14").pk,
                "name": "Västra Götalandsregionen",
                "kind": "region",
                "count": 1,
            },
        ],
    }
    assert report_2025(track="f")["track_e"] is None


def test_national_rollup_by_region_and_year_covers_every_forbund(pipeline):
    rows = {(r["nuts2_code"], r["year"]): r for r in rollup(Forbund.objects.all())}
    assert set(rows) == {("SE23", 2024), ("SE23", 2025), ("SE23", 2026)}
    y2025 = rows[("SE23", 2025)]
    assert y2025["nuts2_name"] == "Västsverige"
    assert y2025["ideas_identified"] == 6  # Sjuhärad's five and Älv och Kust's one
    assert y2025["ideas_led_to_application"] == 3
    assert y2025["applications_granted"] == 1
    assert y2025["ideas_stopped_without_application"] == 2
    assert rows[("SE23", 2024)]["ideas_identified"] == 2  # need B: 3 and 6
    assert rows[("SE23", 2024)]["ideas_led_to_application"] == 1
    assert rows[("SE23", 2026)]["ideas_stopped_without_application"] == 1


def test_rollup_is_one_query_per_figure(pipeline, django_assert_num_queries):
    with django_assert_num_queries(11):  # nine figures, the förbund's regions, region names
        rollup(Forbund.objects.all())
