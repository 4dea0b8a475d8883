from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkshopConfig(AppConfig):
    name = "anticipe.workshop"
    label = "workshop"
    verbose_name = _("Workshop")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from anticipe.workshop import checks  # noqa: F401 (registers the system checks)
        from anticipe.workshop.tasks import results  # noqa: F401 (refreshes the analysis)
