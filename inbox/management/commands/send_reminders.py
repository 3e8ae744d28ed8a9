"""E-mail each user the reminders not yet sent to them. Run daily by a scheduler (see README, "Reminders")."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from inbox.services import send_reminders


class Command(BaseCommand):
    help = "E-mail every user the items of their inbox not yet sent to them (each reminder once)."

    def add_arguments(self, parser):
        parser.add_argument("--today", help="Act as if today were this date (YYYY-MM-DD).")
        parser.add_argument(
            "--base-url", default="", help="The site's address, to put full links in the e-mails (https://…)."
        )
        parser.add_argument("--dry-run", action="store_true", help="Count what would be sent; send nothing.")

    def handle(self, *args, today=None, base_url="", dry_run=False, **options):
        try:
            day = date.fromisoformat(today) if today else None
        except ValueError as error:
            raise CommandError(f"--today: {error}") from error
        outcome = send_reminders(today=day, base_url=base_url, dry_run=dry_run)
        verb = "would send" if dry_run else "sent"
        self.stdout.write(
            f"{verb} {outcome.reminders} reminder(s) in {outcome.emails} e-mail(s); "
            f"{outcome.skipped_opted_out} user(s) opted out"
        )
        for username, error in outcome.failures:
            self.stderr.write(f"not sent to {username}: {error}")
        if outcome.failures:
            raise CommandError(f"{len(outcome.failures)} e-mail(s) could not be sent; they will be tried again.")
