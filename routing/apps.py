from importlib import import_module

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RoutingConfig(AppConfig):
    name = "routing"
    verbose_name = _("Disposisi dan tenggat")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Registers routing's reactions to what happens to a report (complaints.workflow_hooks);
        # imported here, once the models are loaded.
        import_module("routing.workflow")
