from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from zhiheng.core.apps import RegistersCodes


class MeetingsConfig(RegistersCodes, AppConfig):
    name = "zhiheng.meetings"
    label = "meetings"
    verbose_name = _("集体决策")

    def ready(self) -> None:
        super().ready()
        from zhiheng.ledger import derived

        from .minutes import sealed_meeting_problems

        derived.register("sealed-meetings", sealed_meeting_problems)

        from zhiheng.inspections import sampling as inspection_sampling

        from . import sampling

        inspection_sampling.register_source("meetings", sampling.candidates)  # R-SUP-2
        inspection_sampling.register_booster("meetings-dissent", sampling.dissent_booster)
