from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from zhiheng.core.apps import RegistersCodes


class RiskConfig(RegistersCodes, AppConfig):
    name = "zhiheng.risk"
    label = "risk"
    verbose_name = _("风险预警")

    def ready(self) -> None:
        super().ready()
        from . import redflags

        redflags.install()  # the red flags consume ledger entries and refused attempts (decision 0012)

        from zhiheng.inspections import sampling as inspection_sampling

        from .sampling import open_warnings_booster

        inspection_sampling.register_booster("risk-open-warnings", open_warnings_booster)  # R-SUP-2
