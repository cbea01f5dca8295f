from django.core.management.base import BaseCommand

from samsyn.pipeline.demo import DEMO_PASSWORD, demo_exists, demo_logins, load_demo


class Command(BaseCommand):
    help = "Läser in demodata (Sjuhärads samordningsförbund) om den inte redan finns."

    def handle(self, *args, **options):
        if demo_exists():
            self.stdout.write("Demodata finns redan.")
        else:
            load_demo()
            self.stdout.write(self.style.SUCCESS("Demodata inläst."))
        self.stdout.write(f"\nDemoinloggningar (lösenord för alla: {DEMO_PASSWORD}):")
        for username, role in demo_logins():
            self.stdout.write(f"  {username:<9} {role}")
