from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from zhiheng.core.apps import RegistersCodes


class SupervisionConfig(RegistersCodes, AppConfig):
    name = "zhiheng.supervision"
    label = "supervision"
    verbose_name = _("任中监督")

    def ready(self) -> None:
        super().ready()  # events and labels (RegistersCodes)
        from zhiheng.ledger.services import sequencing

        from .models import Acknowledgement, MonthlyReport, Remark

        # Batched ledger sequencing: a row learns its entry's index when the entry is integrated.
        for name, model in (
            ("reports", MonthlyReport),
            ("acknowledgements", Acknowledgement),
            ("remarks", Remark),
        ):
            sequencing.register_resolver(f"supervision.{name}", sequencing.anchor_resolver(model))
