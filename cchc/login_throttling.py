"""Login throttling with django-axes: who a failed login counts against, and what a locked-out visitor sees.

After ``LOGIN_FAILURE_LIMIT`` failed logins the pair (user name, address) is locked for
``LOGIN_LOCKOUT_MINUTES``: the right password is refused too until the time has passed or an administrator
deletes the attempt in the admin ("Access attempts"). The pair, not the address alone, because a district's
officers share one address behind their office's router, and not the user name alone, because then anyone
could lock a colleague out from anywhere. An unknown user name is counted and locked like a real one, with
the same message, so the page never tells whether an account exists.
"""

from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.shortcuts import render
from django.utils.translation import gettext as _


def client_ip(request):
    """The visitor's address: behind the reverse proxy (BEHIND_PROXY) the one it puts in X-Real-IP.

    The proxy sets that header itself from the connection (deploy/nginx.conf), so a visitor cannot forge it;
    without a proxy the connection's own address is the visitor's.
    """
    if getattr(settings, "BEHIND_PROXY", False):
        return request.META.get("HTTP_X_REAL_IP") or request.META.get("REMOTE_ADDR")
    return request.META.get("REMOTE_ADDR")


def lockout_message():
    return _(
        "Too many failed logins: logging in with this user name from this address is blocked for %(minutes)s "
        "minutes. Try again later, or ask an administrator to unlock it."
    ) % {"minutes": settings.LOGIN_LOCKOUT_MINUTES}


def locked_out(request, original_response=None, credentials=None):
    """The login page again, with the lockout message above the form (HTTP 429, Too Many Requests)."""
    # Unbound: a bound form would run authentication again to find its errors.
    form = AuthenticationForm(request, initial={"username": request.POST.get("username", "")})
    return render(
        request,
        "registration/login.html",
        {"form": form, "next": request.POST.get("next", ""), "lockout_message": lockout_message()},
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )
