from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from zhiheng.core.apps import RegistersCodes


class MattersConfig(RegistersCodes, AppConfig):
    name = "zhiheng.matters"
    label = "matters"
    verbose_name = _("事项")

    def ready(self) -> None:
        super().ready()  # events and labels (RegistersCodes)
        from zhiheng.ledger.services import sequencing

        from .models import MatterEvent

        # Batched ledger sequencing: a history row learns its entry's index when the entry is integrated.
        sequencing.register_resolver("matters.history", sequencing.anchor_resolver(MatterEvent))

        from zhiheng.inspections import sampling as inspection_sampling

        from . import sampling

        inspection_sampling.register_source("matters", sampling.candidates)  # R-SUP-2
