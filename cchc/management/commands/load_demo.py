"""Load the demo data drawn from the five source articles, and print the demo logins."""

from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

DEMO_DIR = Path(settings.BASE_DIR) / "fixtures" / "demo"
DEMO_LOGINS = (
    ("admin", "superuser"),
    ("province", "provincial staff of Đồng Tháp (sees every province)"),
    ("thanhbinh", "district officer of Thanh Bình (874)"),
    ("inspector", "provincial inspection team"),
)
DEMO_PASSWORD = "demo12345"


class Command(BaseCommand):
    help = "Load the demo data (fixtures/demo/*.yaml). Loading it again restores it as shipped."

    def handle(self, *args, **options):
        files = sorted(str(path) for path in DEMO_DIR.glob("*.yaml"))
        with transaction.atomic():
            call_command("loaddata", *files, verbosity=options["verbosity"], stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS(f"Demo data loaded from {len(files)} files."))
        self.stdout.write(f"Demo logins (password {DEMO_PASSWORD}):")
        for username, who in DEMO_LOGINS:
            self.stdout.write(f"  {username:<10} {who}")
