"""What the inbox remembers: which reminders went out by e-mail, and who asked for none."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SentReminder(models.Model):
    """One reminder e-mailed to one user about one event (``key``, e.g. ``report-returned:12:40``).

    The unique (user, key) pair is what makes ``send_reminders`` idempotent: a second run, or two runs at
    once, cannot send the same reminder twice — the second insert fails and that reminder is skipped.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="sent_reminders"
    )
    key = models.CharField(_("event"), max_length=120)
    sent_at = models.DateTimeField(_("sent at"))

    class Meta:
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        ordering = ["-sent_at", "id"]
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="reminder_once_per_user_and_event")]

    def __str__(self):
        return f"{self.user} · {self.key}"


class ReminderSetting(models.Model):
    """A user's choice about reminders by e-mail (the inbox page always shows what is waiting)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="reminder_setting"
    )
    email_reminders = models.BooleanField(_("send me reminders by e-mail"), default=True)

    class Meta:
        verbose_name = _("reminder setting")
        verbose_name_plural = _("reminder settings")

    def __str__(self):
        return str(self.user)


def wants_email(user):
    setting = ReminderSetting.objects.filter(user=user).first()
    return setting is None or setting.email_reminders
