"""`python manage.py backup [PATH]`: the whole database and every uploaded file, in one archive."""

from pathlib import Path

from django.core.management.base import BaseCommand

from samsyn.audit.backup import default_name, write_backup


class Command(BaseCommand):
    help = (
        "Skriver en säkerhetskopia (tar.gz) med hela databasen, historiken och alla "
        "uppladdade filer. Personnummer finns bara krypterade i den, som i databasen."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "path", nargs="?", help="Fil eller katalog (standard: samsyn-backup-<tid>.tar.gz)."
        )

    def handle(self, *args, path=None, **options):
        target = Path(path) if path else Path.cwd()
        if target.is_dir():
            target = target / default_name()
        manifest = write_backup(target)
        rows = sum(manifest["counts"].values())
        files = len(manifest["files"]) - 1
        self.stdout.write(f"Säkerhetskopian är skriven till {target}: {rows} rader, {files} filer.")
