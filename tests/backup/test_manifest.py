"""A restore refuses an archive whose database had other migrations than this code."""

from samsyn.audit.backup import _migration_problems, code_migrations


def test_an_archive_with_other_migrations_does_not_match_this_code():
    ours = code_migrations()
    assert _migration_problems({"migrations": ours}) == ""
    older = {**ours, "followup": [n for n in ours["followup"] if n != "0002_history"]}
    newer = {**ours, "calls": [*ours["calls"], "9999_from_the_future"]}
    assert "koden har migreringar som arkivets databas saknar: followup.0002_history" in (
        _migration_problems({"migrations": older})
    )
    assert "arkivet har migreringar som koden saknar: calls.9999_from_the_future" in (
        _migration_problems({"migrations": newer})
    )
