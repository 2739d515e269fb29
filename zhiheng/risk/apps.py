from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RiskConfig(AppConfig):
    name = "zhiheng.risk"
    label = "risk"
    verbose_name = _("风险预警")

    def ready(self) -> None:
        from . import (
            events,  # noqa: F401  registers the ledger event codes
            labels,  # noqa: F401  registers the Chinese labels of its codes (zhiheng.web.labels)
            redflags,
        )

        redflags.install()  # the red flags consume ledger entries and refused attempts (decision 0012)
