"""Backup and restore of a whole Samsyn: every table (history included) and every uploaded file.

The archive is a tar.gz with three parts:

- ``manifest.json``: format version, Samsyn version, applied migrations per app, row counts
  per model, when it was made, and the sha256 of every other member;
- ``data.jsonl``: one object per row, written with Django's serializers, model by model,
  streamed (``.iterator()``). Keys are the rows' own primary keys; content types and
  permissions, which differ between databases, are written by natural key. So a backup of
  SQLite restores into PostgreSQL and back;
- ``media/…``: every file under MEDIA_ROOT.

Personal data stays as stored: the personnummer is in the dump only as its keyed hash and
ciphertext, so the archive is as safe as the database, and the same SAMSYN keys are needed to
read it after a restore.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import tarfile
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.serializers.json import DjangoJSONEncoder
from django.core.serializers.jsonl import Serializer as JsonlSerializer
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.db.models import Model
from django.test.utils import override_settings
from django.utils import timezone

FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DATA = "data.jsonl"
MEDIA = "media"
# Rebuilt by `migrate` in every database (with their own keys), or not worth keeping.
SKIPPED = {"contenttypes.contenttype", "auth.permission", "sessions.session"}
NATURAL = (ContentType, Permission)


class BackupError(Exception):
    """A refused restore, with a Swedish message; nothing has been changed."""


class _Encoder(DjangoJSONEncoder):
    """Times to the microsecond: Django's encoder keeps milliseconds only, and history rows
    are ordered by their time."""

    def default(self, o):
        if isinstance(o, dt.datetime | dt.time):
            text = o.isoformat()
            return text[:-6] + "Z" if text.endswith("+00:00") else text
        return super().default(o)


class _Serializer(JsonlSerializer):
    """Primary keys everywhere, except for content types and permissions (natural keys).

    Natural keys for users too would break on a history row of a deleted user.
    """

    def serialize(self, queryset, **options):
        options.setdefault("cls", _Encoder)
        return super().serialize(queryset, **options)

    def handle_fk_field(self, obj, field):
        self.use_natural_foreign_keys = issubclass(field.remote_field.model, NATURAL)
        super().handle_fk_field(obj, field)

    def handle_m2m_field(self, obj, field):
        self.use_natural_foreign_keys = issubclass(field.remote_field.model, NATURAL)
        super().handle_m2m_field(obj, field)


def dumped_models() -> list[type[Model]]:
    return [
        model
        for model in apps.get_models()
        if model._meta.label_lower not in SKIPPED and model._meta.managed and not model._meta.proxy
    ]


def applied_migrations(using: str = DEFAULT_DB_ALIAS) -> dict[str, list[str]]:
    applied: dict[str, list[str]] = {}
    for app, name in sorted(MigrationRecorder(connections[using]).applied_migrations()):
        applied.setdefault(app, []).append(name)
    return applied


def code_migrations() -> dict[str, list[str]]:
    known: dict[str, list[str]] = {}
    for app, name in sorted(MigrationLoader(None, ignore_no_migrations=True).graph.nodes):
        known.setdefault(app, []).append(name)
    return known


def samsyn_version() -> str:
    try:
        return metadata.version("samsyn")
    except metadata.PackageNotFoundError:
        return "okänd"


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _media_files(root: Path) -> Iterator[tuple[str, Path]]:
    if root.is_dir():
        for path in sorted(root.rglob("*")):
            if path.is_file():
                yield path.relative_to(root).as_posix(), path


def default_name() -> str:
    return f"samsyn-backup-{timezone.localtime():%Y%m%d-%H%M%S}.tar.gz"


def write_backup(target: Path, using: str = DEFAULT_DB_ALIAS) -> dict:
    """Write the archive to `target`; returns the manifest."""
    counts: dict[str, int] = {}
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / DATA
        with data.open("w", encoding="utf-8") as out, transaction.atomic(using=using):
            # One transaction, so the dump is one consistent moment on PostgreSQL.
            for model in dumped_models():
                rows = model._base_manager.using(using).order_by("pk").iterator(chunk_size=1000)
                counter = _Counter(rows)
                _Serializer().serialize(counter, stream=out)
                counts[model._meta.label_lower] = counter.n
        files = {DATA: _sha256(data)}
        media_root = Path(settings.MEDIA_ROOT)
        media = list(_media_files(media_root))
        for name, path in media:
            files[f"{MEDIA}/{name}"] = _sha256(path)
        manifest = {
            "format_version": FORMAT_VERSION,
            "samsyn_version": samsyn_version(),
            "created_at": timezone.now().isoformat(),
            "database_vendor": connections[using].vendor,
            "migrations": applied_migrations(using),
            "counts": counts,
            "files": files,
        }
        with tarfile.open(target, "w:gz") as archive:
            _add_bytes(archive, MANIFEST, json.dumps(manifest, indent=2).encode())
            archive.add(data, arcname=DATA)
            for name, path in media:
                archive.add(path, arcname=f"{MEDIA}/{name}")
    return manifest


class _Counter:
    def __init__(self, rows):
        self.rows, self.n = rows, 0

    def __iter__(self):
        for row in self.rows:
            self.n += 1
            yield row


def _add_bytes(archive: tarfile.TarFile, name: str, content: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(content)
    info.mtime = int(dt.datetime.now().timestamp())
    archive.addfile(info, io.BytesIO(content))


@dataclass
class Restored:
    counts: dict[str, int]
    media_files: int


def _safe_media_name(name: str) -> bool:
    path = PurePosixPath(name)
    return path.parts[:1] == (MEDIA,) and not path.is_absolute() and ".." not in path.parts


def _read_checked(source: Path, tmp: Path) -> dict:
    """Unpack into tmp after checking the manifest and every checksum."""
    try:
        with tarfile.open(source, "r:gz") as archive:
            members = {m.name: m for m in archive.getmembers() if m.isfile()}
            if MANIFEST not in members:
                raise BackupError(
                    "Arkivet saknar manifest.json; det är ingen säkerhetskopia av Samsyn."
                )
            manifest = json.load(archive.extractfile(members[MANIFEST]))
            if manifest.get("format_version") != FORMAT_VERSION:
                raise BackupError(
                    f"Arkivets format ({manifest.get('format_version')}) stöds inte; "
                    f"den här versionen läser format {FORMAT_VERSION}."
                )
            files = manifest.get("files", {})
            if DATA not in files:
                raise BackupError("Arkivets manifest saknar databasdumpen.")
            for name, expected in files.items():
                if name != DATA and not _safe_media_name(name):
                    raise BackupError(f"Arkivet innehåller en otillåten sökväg: {name}.")
                if name not in members:
                    raise BackupError(f"Arkivet saknar {name}; det är ofullständigt.")
                target = tmp / name
                target.parent.mkdir(parents=True, exist_ok=True)
                with archive.extractfile(members[name]) as src, target.open("wb") as dst:
                    while chunk := src.read(1 << 20):
                        dst.write(chunk)
                if _sha256(target) != expected:
                    raise BackupError(f"Kontrollsumman för {name} stämmer inte; arkivet är skadat.")
    except (tarfile.TarError, EOFError, OSError, json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise BackupError(f"Arkivet kan inte läsas; det är skadat ({exc}).") from exc
    return manifest


def _migration_problems(manifest: dict) -> str:
    theirs = {(a, n) for a, names in manifest.get("migrations", {}).items() for n in names}
    ours = {(a, n) for a, names in code_migrations().items() for n in names}
    missing, extra = sorted(theirs - ours), sorted(ours - theirs)
    parts = []
    if missing:
        parts.append(
            "arkivet har migreringar som koden saknar: "
            + ", ".join(f"{a}.{n}" for a, n in missing[:5])
        )
    if extra:
        parts.append(
            "koden har migreringar som arkivets databas saknar: "
            + ", ".join(f"{a}.{n}" for a, n in extra[:5])
        )
    return "; ".join(parts)


def database_has_data(using: str = DEFAULT_DB_ALIAS) -> bool:
    # Reference data (kommuner, programme areas, …) comes with the migrations; a database
    # with people in it is one somebody uses.
    from django.contrib.auth import get_user_model

    return get_user_model()._base_manager.using(using).exists()


def restore_backup(
    source: Path,
    *,
    force: bool = False,
    using: str = DEFAULT_DB_ALIAS,
    say: Callable[[str], None] = lambda text: None,
) -> Restored:
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        manifest = _read_checked(source, tmp)
        problems = _migration_problems(manifest)
        if problems:
            raise BackupError(
                "Arkivet passar inte den här versionen av Samsyn: " + problems + ". "
                "Återställ med den version som gjorde säkerhetskopian, eller migrera först."
            )
        call_command("migrate", database=using, interactive=False, verbosity=0)
        if database_has_data(using) and not force:
            raise BackupError(
                "Databasen innehåller redan data. Återställning skulle ersätta allt; "
                "kör igen med --force om det är meningen."
            )
        expected = manifest["counts"]
        with transaction.atomic(using=using):
            call_command("flush", database=using, interactive=False, verbosity=0)
            # loaddata loads in one transaction, checks the foreign keys and resets the
            # PostgreSQL sequences (sqlsequencereset) of what it loaded.
            # The rows' history is in the dump; setting many-to-many fields must not add more.
            with override_settings(SIMPLE_HISTORY_ENABLED=False):
                call_command("loaddata", str(tmp / DATA), database=using, verbosity=0)
            counts = {
                model._meta.label_lower: model._base_manager.using(using).count()
                for model in dumped_models()
            }
            wrong = [label for label, n in expected.items() if counts.get(label, 0) != n]
            if wrong:
                raise BackupError(
                    "Antalet rader efter återställningen stämmer inte med arkivet för: "
                    + ", ".join(wrong[:5])
                    + ". Ingenting har ändrats."
                )
        media_root = Path(settings.MEDIA_ROOT)
        media = [name for name in manifest["files"] if name != DATA]
        for name in media:
            target = media_root / PurePosixPath(name).relative_to(MEDIA)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes((tmp / name).read_bytes())
        say(f"Återställt från {source.name} (gjord {manifest['created_at']}).")
        return Restored(counts=counts, media_files=len(media))
