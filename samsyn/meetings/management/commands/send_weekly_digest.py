from django.core.management.base import BaseCommand

from samsyn.meetings import tasks
from samsyn.meetings.models import Network


class Command(BaseCommand):
    help = (
        "Lägger veckobrevet för varje nätverk med prenumeranter i kö (bakgrundsprocessen "
        "`db_worker` skickar dem)."
    )

    def handle(self, *args, **options):
        networks = Network.objects.filter(subscriptions__isnull=False).distinct()
        for network in networks:
            tasks.send_weekly_digest.enqueue(network.pk)
        self.stdout.write(f"Veckobrev i kö för {len(networks)} nätverk.")
