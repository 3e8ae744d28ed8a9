"""Reminders by e-mail: each user's new items, once each, for users who did not opt out."""

from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import ngettext

from .models import ReminderSetting, SentReminder
from .sources import items_for


@dataclass
class Outcome:
    emails: int = 0
    reminders: int = 0
    skipped_opted_out: int = 0
    failures: list = field(default_factory=list)


def send_reminders(*, today=None, base_url="", dry_run=False):
    """E-mail every active user with an address the items of their inbox not yet sent to them.

    One e-mail per user, listing the new items. A reminder is recorded (``SentReminder``) in the same
    transaction as the e-mail is handed to the mail backend: if sending fails, nothing is recorded and the
    next run tries again; if it succeeds, no later run sends it again.
    """
    today = today or timezone.localdate()
    outcome = Outcome()
    opted_out = set(ReminderSetting.objects.filter(email_reminders=False).values_list("user_id", flat=True))
    users = get_user_model().objects.filter(is_active=True).exclude(email="").select_related("unit").order_by("pk")
    for user in users:
        if user.pk in opted_out:
            outcome.skipped_opted_out += 1
            continue
        with translation.override(settings.LANGUAGE_CODE):
            items = items_for(user, today)
            if not items:
                continue
            already = set(
                SentReminder.objects.filter(user=user, key__in=[item.key for item in items]).values_list(
                    "key", flat=True
                )
            )
            new = [item for item in items if item.key not in already]
            if not new or dry_run:
                outcome.reminders += len(new)
                continue
            try:
                with transaction.atomic():
                    now = timezone.now()
                    # The unique (user, key) makes a concurrent run fail here rather than send twice.
                    SentReminder.objects.bulk_create(
                        [SentReminder(user=user, key=item.key, sent_at=now) for item in new]
                    )
                    _send(user, new, base_url)
            except IntegrityError:
                continue  # another run sent them meanwhile
            except Exception as error:  # noqa: BLE001 — one user's bad address must not stop the others
                outcome.failures.append((user.get_username(), str(error)))
                continue
            outcome.emails += 1
            outcome.reminders += len(new)
    return outcome


def _send(user, items, base_url):
    subject = ngettext(
        "[CCHC] %(count)d thing is waiting for you", "[CCHC] %(count)d things are waiting for you", len(items)
    ) % {"count": len(items)}
    body = render_to_string(
        "inbox/reminder_email.txt",
        {"user": user, "items": items, "base_url": base_url.rstrip("/"), "inbox_url": "/inbox/"},
    )
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email], fail_silently=False)
