from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from samsyn.accounts.demo import DEMO_TOTP_KEY


class Command(BaseCommand):
    help = "Skriver ut demoanvändarens aktuella engångskod (bara demons fasta nyckel)."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username: str, **options):
        device = TOTPDevice.objects.filter(
            user__username=username, key=DEMO_TOTP_KEY, confirmed=True
        ).first()
        if device is None:
            raise CommandError(f"{username} har ingen demo-app för tvåstegsverifiering.")
        code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
        self.stdout.write(f"Kod för {username}: {code:0{device.digits}d}")
