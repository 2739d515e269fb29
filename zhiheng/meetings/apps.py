from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "zhiheng.meetings"
    label = "meetings"
    verbose_name = _("集体决策")

    def ready(self) -> None:
        from zhiheng.ledger import derived

        from . import (
            events,  # noqa: F401  registers the ledger event codes
            labels,  # noqa: F401  registers the Chinese labels of its codes (zhiheng.web.labels)
        )
        from .minutes import sealed_meeting_problems

        derived.register("sealed-meetings", sealed_meeting_problems)
