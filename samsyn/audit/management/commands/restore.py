"""`python manage.py restore PATH [--force]`: a backup back into this database."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from samsyn.audit.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = (
        "Återställer en säkerhetskopia från `manage.py backup`: kontrollerar arkivet och "
        "migreringarna, migrerar, läser in allt i en transaktion och lägger tillbaka filerna. "
        "En databas med data skrivs bara över med --force."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="Arkivet (samsyn-backup-….tar.gz).")
        parser.add_argument(
            "--force", action="store_true", help="Töm databasen först, även om den har data."
        )

    def handle(self, *args, path, force=False, **options):
        try:
            restored = restore_backup(Path(path), force=force, say=self.stdout.write)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        for label, n in sorted(restored.counts.items()):
            if n:
                self.stdout.write(f"  {label}: {n}")
        total = sum(restored.counts.values())
        done = f"Klart: {total} rader och {restored.media_files} filer återställda."
        self.stdout.write(self.style.SUCCESS(done))
