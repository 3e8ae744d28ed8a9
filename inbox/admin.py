from django.contrib import admin

from districts.admin_filters import RaceSafeAdmin

from .models import ReminderSetting, SentReminder


@admin.register(SentReminder)
class SentReminderAdmin(RaceSafeAdmin):
    list_display = ["user", "key", "sent_at"]
    search_fields = ["user__username", "key"]
    readonly_fields = ["user", "key", "sent_at"]

    def has_add_permission(self, request):
        return False


@admin.register(ReminderSetting)
class ReminderSettingAdmin(RaceSafeAdmin):
    list_display = ["user", "email_reminders"]
    list_filter = ["email_reminders"]
