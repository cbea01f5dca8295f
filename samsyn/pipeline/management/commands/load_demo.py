from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Läser in demodata (bland annat Sjuhärads samordningsförbund) om den inte redan finns."

    def handle(self, *args, **options):
        # The demo spans every app, so it is assembled at project level (samsyn/demo.py).
        from samsyn.accounts.demo import demo_secret, give_demo_devices
        from samsyn.demo import DEMO_PASSWORD, all_demo_logins, demo_exists, load_everything

        if demo_exists():
            self.stdout.write("Demodata finns redan.")
        else:
            load_everything()
            self.stdout.write(self.style.SUCCESS("Demodata inläst."))
        self.stdout.write(f"\nDemoinloggningar (lösenord för alla: {DEMO_PASSWORD}):")
        for username, role in all_demo_logins():
            self.stdout.write(f"  {username:<9} {role}")
        with_device = give_demo_devices([username for username, _ in all_demo_logins()])
        if with_device:
            self.stdout.write(
                f"\nTvåstegsverifiering för {', '.join(with_device)} (de ser deltagaruppgifter): "
                f"lägg in nyckeln {demo_secret()} i en app för engångskoder, eller skriv ut "
                "aktuell kod med `python manage.py demo_totp <användarnamn>`."
            )
