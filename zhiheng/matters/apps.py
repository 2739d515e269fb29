from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MattersConfig(AppConfig):
    name = "zhiheng.matters"
    label = "matters"
    verbose_name = _("事项")

    def ready(self) -> None:
        from . import (
            events,  # noqa: F401  registers the ledger event codes
            labels,  # noqa: F401  registers the Chinese labels of its codes (zhiheng.web.labels)
        )
