"""Follow-up figures come from the shared cache, and any write in a förbund is in the next one.

The three cached functions (followup_report, rollup, forbund_indicator_report) are asked twice:
the second answer costs one query (which förbund), and after a write in the förbund (through a
verb, a model save or a bulk import) the next answer shows it. A write in another förbund
leaves the cached answer in place.
"""

from collections.abc import Callable

import pytest
from django.core.cache import cache

from samsyn.followup import services as followup_services
from samsyn.followup.imports import read_participant_file
from samsyn.followup.querysets import Period
from samsyn.followup.report import ReportParams, followup_report, rollup
from samsyn.followup.results import forbund_indicator_report
from samsyn.parties.models import Forbund
from samsyn.pipeline import services as pipeline_services
from tests.followup.scene import d, idea, need, participant_data

YEAR_2025 = Period(d("2025-01-01"), d("2025-12-31"))


@pytest.fixture(autouse=True)
def report_cache_on(settings):
    settings.SAMSYN_REPORT_CACHE = True
    cache.clear()


def _one(forbund) -> Forbund:
    return Forbund.objects.filter(pk=forbund.pk)


REPORTS: dict[str, Callable[[Forbund], object]] = {
    "followup_report": lambda f: followup_report(ReportParams(_one(f), YEAR_2025)),
    "rollup": lambda f: rollup(_one(f), by_region=False),
    "national_rollup": lambda f: rollup(Forbund.objects.all()),
    "indicators": lambda f: forbund_indicator_report(_one(f), YEAR_2025),
}


def _submitted(report) -> int:
    if isinstance(report, dict) and "track_e" in report:
        return report["track_e"]["ideas_led_to_application"]
    return sum(row["ideas_led_to_application"] for row in report)


@pytest.mark.parametrize("name", ["followup_report", "rollup", "national_rollup"])
def test_report_cache_serves_the_second_ask_and_shows_a_write_in_the_next(
    name, sjuharad, alv_och_kust, alice, mallory, django_assert_num_queries
):
    ask = REPORTS[name]
    a = need(sjuharad, "2025-03-01")
    idea(a, alice, ("submitted", "2025-05-10"))
    first = ask(sjuharad)
    with django_assert_num_queries(1):  # only: which förbund
        assert ask(sjuharad) == first

    # A write in another förbund: Sjuhärad's own figures stay cached.
    need(alv_och_kust, "2025-02-01")
    if name != "national_rollup":
        with django_assert_num_queries(1):
            assert ask(sjuharad) == first

    # A write in Sjuhärad: visible in the very next report.
    idea(a, alice, ("submitted", "2025-06-01"))
    assert _submitted(ask(sjuharad)) == _submitted(first) + 1


def test_report_cache_a_verb_moving_an_idea_is_in_the_next_report(sjuharad, alice):
    a = need(sjuharad, "2025-03-01")
    record = idea(a, alice)
    params = ReportParams(_one(sjuharad), YEAR_2025)
    before = followup_report(params)["track_e"]
    pipeline_services.move_idea(
        record, "stopped", by=alice, stop_reason="no_owner", basis_date=d("2025-04-01")
    )
    after = followup_report(params)["track_e"]
    stopped = "ideas_stopped_without_application"
    assert after[stopped]["total"] == before[stopped]["total"] + 1


def test_report_cache_indicators_show_a_registered_and_an_imported_participant(
    running_idea, bob, sjuharad
):
    ask = REPORTS["indicators"]
    first = ask(sjuharad)
    assert first["total"]["total"] == 0
    followup_services.register_participant(
        running_idea, by=bob, personnummer="19811218-9876", **participant_data()
    )
    assert ask(sjuharad)["total"]["woman"] == 1
    # The import writes in bulk (no post_save): it bumps the förbund's version itself.
    header = "personnummer;started_on;gender;age_band;labour_status\n"
    rows = read_participant_file(
        "deltagare.csv", (header + "19900101-0017;2025-06-02;man;age_30_54;employed\n").encode()
    )
    followup_services.import_participants(running_idea, rows, by=bob)
    report = ask(sjuharad)
    assert report["total"]["man"] == 1 and report["total"]["total"] == 2


def test_report_cache_is_off_without_a_shared_cache(settings, sjuharad, alice):
    settings.SAMSYN_REPORT_CACHE = False
    a = need(sjuharad, "2025-03-01")
    idea(a, alice, ("submitted", "2025-05-10"))
    followup_report(ReportParams(_one(sjuharad), YEAR_2025))
    assert not cache.get_many([f"followup:version:{sjuharad.pk}"])


def test_readers_who_miss_at_once_wait_for_one_computation(monkeypatch):
    """Fifty readers after a write: one computes the figures, the others get its answer."""
    import threading
    import time

    from samsyn.followup import report_cache

    calls = []

    def slow() -> dict:
        calls.append(1)
        time.sleep(0.3)
        return {"ideas": 7}

    answers = []
    readers = [
        threading.Thread(target=lambda: answers.append(report_cache.cached("t", [1], [], slow)))
        for _ in range(6)
    ]
    for reader in readers:
        reader.start()
    for reader in readers:
        reader.join()
    assert len(calls) == 1
    assert answers == [{"ideas": 7}] * 6


def test_a_reader_answers_itself_when_the_computing_request_never_finishes(monkeypatch):
    """Another node took the lock and died: the reader waits a little, then computes."""
    from samsyn.followup import report_cache

    monkeypatch.setattr(report_cache, "WAIT_SECONDS", 0.2)
    original_add = cache.add

    def add(key, *args, **kwargs):
        return False if key.endswith(":computing") else original_add(key, *args, **kwargs)

    monkeypatch.setattr(cache, "add", add)
    assert report_cache.cached("u", [2], [], lambda: {"ideas": 3}) == {"ideas": 3}
