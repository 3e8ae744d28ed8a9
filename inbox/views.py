"""The user's inbox: what is waiting for them, and whether they want it by e-mail too."""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from .models import ReminderSetting, wants_email
from .templatetags.inbox import request_items


class ReminderSettingForm(forms.ModelForm):
    class Meta:
        model = ReminderSetting
        fields = ["email_reminders"]
        widgets = {"email_reminders": forms.CheckboxInput(attrs={"class": "form-check-input"})}


def inbox_page(request):
    setting = ReminderSetting.objects.filter(user=request.user).first() or ReminderSetting(user=request.user)
    if request.method == "POST":
        form = ReminderSettingForm(request.POST, instance=setting)
        if form.is_valid():
            form.save()
            if form.cleaned_data["email_reminders"]:
                messages.success(request, _("You will receive reminders by e-mail."))
            else:
                messages.success(request, _("You will no longer receive reminders by e-mail."))
            return redirect("inbox:index")
    else:
        form = ReminderSettingForm(instance=setting, initial={"email_reminders": wants_email(request.user)})
    return render(
        request,
        "inbox/index.html",
        {"items": request_items(request), "form": form, "has_email": bool(request.user.email)},
    )
