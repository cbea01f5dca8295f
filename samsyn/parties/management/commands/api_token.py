from django.core.management.base import BaseCommand, CommandError

from samsyn.parties.models import User
from samsyn.parties.services import issue_api_token


class Command(BaseCommand):
    help = (
        "Skapar en ny API-nyckel för en användare och skriver ut den "
        "(en tidigare nyckel slutar gälla)."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username: str, **options):
        try:
            user = User.objects.get(username=username)
        except User.DoesNotExist as exc:
            raise CommandError(f"Ingen användare heter {username}.") from exc
        self.stdout.write(issue_api_token(user))
