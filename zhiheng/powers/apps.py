from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PowersConfig(AppConfig):
    name = "zhiheng.powers"
    label = "powers"
    verbose_name = _("职权与分工")

    def ready(self) -> None:
        from . import (
            events,  # noqa: F401  registers the ledger event codes
            labels,  # noqa: F401  registers the Chinese labels of its codes (zhiheng.web.labels)
        )
