from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MattersConfig(AppConfig):
    name = "zhiheng.matters"
    label = "matters"
    verbose_name = _("事项")

    def ready(self) -> None:
        from zhiheng.ledger.services import sequencing

        from . import events  # noqa: F401  registers the ledger event codes
        from .models import MatterEvent

        # Batched ledger sequencing: a history row learns its entry's index when the entry is integrated.
        sequencing.register_resolver("matters.history", sequencing.anchor_resolver(MatterEvent))
