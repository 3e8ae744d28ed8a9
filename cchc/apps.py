from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CchcConfig(AppConfig):
    name = "cchc"
    verbose_name = _("Administrative reform")

    def ready(self):
        from cchc.lib.roles import sync_role_groups

        # After the last app's permissions exist, which post_migrate of each app creates in turn.
        post_migrate.connect(sync_role_groups, dispatch_uid="cchc.sync_role_groups")

        from django.contrib.auth.signals import user_logged_in

        from cchc.signals import tell_of_closed_unit

        user_logged_in.connect(tell_of_closed_unit, dispatch_uid="cchc.tell_of_closed_unit")

        from django.apps import apps

        from cchc.lib.uploads import connect

        # A save rolled back leaves no uploaded file behind (issue 11, item 8).
        connect(apps.get_models())

        from cchc.admin_names import translate_history_names

        translate_history_names()
