from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from zhiheng.core.apps import RegistersCodes


class AnalyticsConfig(RegistersCodes, AppConfig):
    name = "zhiheng.analytics"
    label = "analytics"
    verbose_name = _("成效分析")

    def ready(self) -> None:
        super().ready()
        from . import rollup

        rollup.install()  # the monthly roll-up consumes the ledger entries that change it (decision 0022)
