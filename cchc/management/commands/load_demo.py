"""Load the demo data drawn from the five source articles, and print the demo logins."""

from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import check_password
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

DEMO_DIR = Path(settings.BASE_DIR) / "fixtures" / "demo"
DEMO_LOGINS = (
    ("admin", "superuser"),
    ("province", "provincial staff of Đồng Tháp (sees every province)"),
    ("thanhbinh", "district officer of Thanh Bình (874)"),
    ("inspector", "provincial inspection team"),
)
DEMO_PASSWORD = "demo12345"
# The simulated province's code: above every real province code (they end at 96).
SIMULATED_CODE = "98"


def people_in(database=None):
    """The users that show people work in this database: any but the demo logins, and any demo login whose
    password is no longer the demo one.

    The demo data is the only thing that makes users without a person doing it, so a database with no other
    users is a demo database (or an empty one), and loading the demo again does no harm. Anything else would
    lose work: the demo overwrites rows with its own (units, reports and plans by their keys) and resets
    ``admin`` to a password everyone knows.
    """
    users = get_user_model().objects.using(database).order_by("username")
    demo_names = {username for username, _who in DEMO_LOGINS}
    others = [user.username for user in users.exclude(username__in=demo_names)]
    changed = [
        user.username
        for user in users.filter(username__in=demo_names)
        if not check_password(DEMO_PASSWORD, user.password)
    ]
    # The hashers' check_password, not the user's: that one would re-hash and save the password.
    return others + changed


class Command(BaseCommand):
    help = (
        "Load the demo data (fixtures/demo/*.yaml). Loading it again restores it as shipped. Refuses a database "
        "that people use (users other than the demo logins, or a demo login's password changed) unless --force."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Load even into a database that people use: overwrites their rows and resets the demo logins.",
        )
        parser.add_argument(
            "--simulated",
            action="store_true",
            help=(
                "Also add the simulated province 98 'Tỉnh Mô Phỏng — dữ liệu giả lập' (cchc/simulation.py, a fixed "
                "seed) beside the articles' units, if it is not there yet."
            ),
        )

    def handle(self, *args, **options):
        people = people_in()
        if people and not options["force"]:
            shown = ", ".join(people[:5]) + (", …" if len(people) > 5 else "")
            raise CommandError(
                f"This database is in use ({len(people)} users besides the demo logins or with their own "
                f"password: {shown}). Loading the demo would overwrite its rows and reset the login 'admin' to "
                f"the demo password. Back it up first (docs/operations.md); to load anyway, add --force."
            )
        files = sorted(str(path) for path in DEMO_DIR.glob("*.yaml"))
        with transaction.atomic():
            call_command("loaddata", *files, verbosity=options["verbosity"], stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS(f"Demo data loaded from {len(files)} files."))
        if options["simulated"]:
            self.load_simulated()
        self.stdout.write(f"Demo logins (password {DEMO_PASSWORD}):")
        for username, who in DEMO_LOGINS:
            self.stdout.write(f"  {username:<10} {who}")

    def load_simulated(self):
        """The simulated province: invented figures, every quarter since 2019, named as simulated everywhere
        and coded outside the real ranges, so that it never mixes with the articles' units."""
        from cchc.simulation import SIMULATED_PROVINCE_NAME, generate_province
        from districts.models import Unit

        if Unit.objects.filter(code=SIMULATED_CODE).exists():
            self.stdout.write(f"The simulated province {SIMULATED_CODE} is there already; left as it is.")
            return
        count = generate_province(code=SIMULATED_CODE)
        self.stdout.write(
            self.style.SUCCESS(
                f"Simulated province {SIMULATED_CODE} '{SIMULATED_PROVINCE_NAME}': {count.units} units, "
                f"{count.reports} reports, {count.recommendations} recommendations (invented data)."
            )
        )
