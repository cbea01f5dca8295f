"""Participants: personal data kept safe, logged, exportable and erasable; all-or-nothing import."""

import io

import pytest
from django.db import connection

from samsyn.followup import services
from samsyn.followup.imports import read_participant_file
from samsyn.followup.models import Participant, PersonalDataAccess
from samsyn.followup.results import indicator_report, project_results
from tests.followup.scene import d, participant_data

PNR = "19811218-9876"
DIGITS = ("198112189876", "8112189876", "811218-9876", "19811218-9876")


def register(project, by, pnr=PNR, **overrides):
    return services.register_participant(
        project, by=by, personnummer=pnr, **participant_data(**overrides)
    )


def test_the_personnummer_never_reaches_the_database_in_clear_text(running_idea, bob):
    register(running_idea, bob)
    services.reveal_personnummer(Participant.objects.get(), by=bob)
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 - table names from Django
            for row in cursor.fetchall():
                text = " ".join(str(v) for v in row)
                assert not any(digits in text for digits in DIGITS), table


def test_only_project_staff_register_participants(running_idea, alice):
    with pytest.raises(services.FollowupError, match="Bara projektets personal"):
        register(running_idea, alice)  # the kansli adds staff, but is not staff itself


def test_participants_join_only_a_running_project(sjuharad, alice, bob):
    from tests.followup.scene import idea, need

    drafted = idea(need(sjuharad, "2025-01-01"), bob, ("idea_designed", "2025-02-01"))
    services.add_staff(drafted, bob, by=alice)
    with pytest.raises(services.FollowupError, match="genomförs"):
        register(drafted, bob)


def test_the_same_person_cannot_be_registered_twice_in_a_project(running_idea, bob):
    register(running_idea, bob)
    with pytest.raises(services.FollowupError, match="redan registrerad"):
        register(running_idea, bob, pnr="8112189876")  # same number, other form


def test_seeing_the_personnummer_is_logged(running_idea, bob):
    participant = register(running_idea, bob)
    assert services.reveal_personnummer(participant, by=bob) == PNR
    log = PersonalDataAccess.objects.filter(participant=participant, action="view")
    assert [(a.user, a.participant) for a in log] == [(bob, participant)]


def test_right_of_access_export_holds_the_data_and_is_logged(running_idea, bob):
    participant = register(running_idea, bob)
    data = services.export_participant(participant, by=bob)
    assert data["personnummer"] == PNR
    assert data["kön"] == "Kvinna"
    assert PersonalDataAccess.objects.filter(action="export").count() == 1


def test_erasure_removes_the_person_and_keeps_the_counts(running_idea, bob):
    register(running_idea, bob, employed_on_leaving=True)
    other = register(running_idea, bob, pnr="19900101-0017", gender="man")
    participants = Participant.objects.of(running_idea)
    before = (indicator_report(participants), project_results(running_idea, 50))

    services.erase_participant(other, by=bob)

    erased = Participant.objects.get(pk=other.pk)
    assert (erased.pnr_hash, erased.pnr_encrypted, erased.code) == (None, "", "raderad")
    assert (indicator_report(participants), project_results(running_idea, 50)) == before
    with pytest.raises(services.FollowupError, match="raderade"):
        services.reveal_personnummer(erased, by=bob)
    # The person may come back later as a new participant.
    register(running_idea, bob, pnr="19900101-0017")


def test_a_stale_edit_is_refused(running_idea, bob):
    participant = register(running_idea, bob)
    services.update_participant(participant, by=bob, expected_version=1, ended_on=d("2025-11-01"))
    with pytest.raises(services.StaleParticipant):
        services.update_participant(participant, by=bob, expected_version=1, ended_on=None)


HEADER = "personnummer;started_on;ended_on;gender;age_band;labour_status;employed_on_leaving\n"


def csv_file(*lines: str) -> bytes:
    return (HEADER + "\n".join(lines) + "\n").encode()


def test_a_bad_import_changes_nothing_and_reports_every_bad_line(running_idea, bob):
    register(running_idea, bob, pnr="19900101-0017")
    content = csv_file(
        "19811218-9876;2025-06-01;2025-12-01;Kvinna;age_30_54;unemployed;ja",  # line 2: good
        "19811218-9875;2025-06-01;;woman;age_30_54;unemployed;",  # 3: check digit
        "19811218-9876;2025-06-01;;woman;age_30_54;unemployed;",  # 4: same as line 2
        "19900101-0017;2025-06-01;;woman;age_30_54;unemployed;",  # 5: already registered
        "19750505-1230;2025-06-01;2025-05-01;robot;age_30_54;unemployed;",  # 6: two faults
    )
    rows = read_participant_file("deltagare.csv", content)
    with pytest.raises(services.ImportRejected) as caught:
        services.import_participants(running_idea, rows, by=bob)
    errors = [(e.line, e.message) for e in caught.value.errors]
    assert [line for line, _ in errors] == [3, 4, 5, 6, 6]
    assert "kontrollsiffra" in errors[0][1]
    assert "rad 2" in errors[1][1]
    assert "redan registrerad" in errors[2][1]
    assert any("Kön" in m for line, m in errors if line == 6)
    assert any("Slutdatum" in m for line, m in errors if line == 6)
    assert Participant.objects.count() == 1


def test_a_good_import_brings_every_row_in(running_idea, bob):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["personnummer", "started_on", "gender", "age_band", "labour_status"])
    sheet.append(["19811218-9876", d("2025-06-01"), "Kvinna", "18–29 år", "inactive"])
    sheet.append([8112189868, "2025-06-02", "man", "age_55_plus", "employed"])
    buffer = io.BytesIO()
    book.save(buffer)
    rows = read_participant_file("deltagare.xlsx", buffer.getvalue())
    created = services.import_participants(running_idea, rows, by=bob)
    assert [(p.code, p.gender, p.age_band) for p in created] == [
        ("D-0001", "woman", "age_18_29"),
        ("D-0002", "man", "age_55_plus"),
    ]


def test_a_file_with_wrong_columns_is_refused_on_line_one(running_idea, bob):
    with pytest.raises(services.ImportRejected) as caught:
        read_participant_file("x.csv", b"namn,personnummer\nAnna,19811218-9876\n")
    assert caught.value.errors[0].line == 1
    assert "okända kolumner: namn" in caught.value.errors[0].message
