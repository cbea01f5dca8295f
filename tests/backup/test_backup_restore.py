"""`manage.py backup` and `restore` round-trip everything: rows, history and uploaded files."""

import io
import tarfile

import pytest
from django.core.management import CommandError, call_command

from samsyn.audit.backup import _Serializer, dumped_models
from samsyn.followup.services import register_participant
from samsyn.pipeline import services as pipeline
from samsyn.pipeline.models import Need
from tests.factories import kommun, region
from tests.followup.scene import measure, participant_data, running_project

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
FILE = b"%PDF-1.4 protokoll \x00\xff\xfe"


def snapshot() -> dict[str, list[str]]:
    """Every row of every table, serialized as the backup writes it, per model."""
    rows = {}
    for model in dumped_models():
        out = io.StringIO()
        _Serializer().serialize(model._base_manager.order_by("pk"), stream=out)
        rows[model._meta.label_lower] = out.getvalue().splitlines()
    return rows


def a_small_world(forbund, kansli, staff):
    """A bit of every kind: pipeline with history, m2m, a participant with encrypted data.

    (The full demo would take most of a minute to load on a busy machine.)
    """
    project = running_project(forbund, kansli, staff)
    register_participant(project, by=staff, personnummer="19811218-9876", **participant_data())
    idea = pipeline.create_idea(project.need, by=staff, title="Nästa steg", owner=kommun("1490"))
    pipeline.set_idea_party(idea, region("14"), by=kansli, expected_version=None, mandate=True)
    measure(project.need, kansli, parties=[kommun("1490"), region("14")])


@pytest.fixture
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    uploaded = settings.MEDIA_ROOT / "protokoll" / "möte 1.pdf"
    uploaded.parent.mkdir(parents=True)
    uploaded.write_bytes(FILE)
    return uploaded


def backup(tmp_path):
    call_command("backup", str(tmp_path / "samsyn.tar.gz"), stdout=io.StringIO())
    return tmp_path / "samsyn.tar.gz"


def broken_copy(archive, tmp_path):
    """The same archive with one byte of the dump changed (the manifest is left as it was)."""
    broken = tmp_path / "broken.tar.gz"
    with tarfile.open(archive) as source, tarfile.open(broken, "w:gz") as target:
        for member in source.getmembers():
            content = source.extractfile(member).read()
            if member.name == "data.jsonl":
                changed = content.replace(b'"title": "', b'"title": "X', 1)
                assert changed != content
                content = changed
            member.size = len(content)
            target.addfile(member, io.BytesIO(content))
    return broken


# One test for the whole story: on PostgreSQL each transactional test costs seconds to set up.
def test_a_backup_restores_every_row_and_file_and_a_bad_restore_changes_nothing(
    tmp_path, media, sjuharad, alice, bob
):
    a_small_world(sjuharad, alice, bob)
    before = snapshot()
    for label in ("followup.historicalparticipant", "pipeline.historicalmeasure_parties"):
        assert before[label], label
    archive = backup(tmp_path)

    with pytest.raises(CommandError, match="redan data.*--force"):
        call_command("restore", str(archive))
    with pytest.raises(CommandError, match="Kontrollsumman för data.jsonl stämmer inte"):
        call_command("restore", str(broken_copy(archive, tmp_path)), "--force")
    (tmp_path / "half.tar.gz").write_bytes(archive.read_bytes()[:200])
    with pytest.raises(CommandError, match="skadat"):
        call_command("restore", str(tmp_path / "half.tar.gz"), "--force")
    assert snapshot() == before

    media.unlink()
    Need.objects.filter(pk=Need.objects.first().pk).update(title="Ändrad efter backupen")
    out = io.StringIO()
    call_command("restore", str(archive), "--force", stdout=out)  # empties the database first

    assert "Klart:" in out.getvalue()
    after = snapshot()
    assert {k: len(v) for k, v in after.items()} == {k: len(v) for k, v in before.items()}
    assert after == before
    assert media.read_bytes() == FILE
    # The sequences were reset: a new row gets a fresh key, not one already taken.
    newest = Need.objects.order_by("-pk").first()
    fresh = Need.objects.create(
        forbund=newest.forbund, title="Ny", target_group="Alla", identified_on=newest.identified_on
    )
    assert fresh.pk > newest.pk
