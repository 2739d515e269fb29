from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from zhiheng.core.apps import RegistersCodes


class CheckupConfig(RegistersCodes, AppConfig):
    name = "zhiheng.checkup"
    verbose_name = _("廉政体检")

    def ready(self) -> None:
        super().ready()
        # RF3 at the moment of decision: the matters app asks through its seam (matters.conflicts).
        from zhiheng.matters import conflicts

        from . import ties

        conflicts.register(ties.matchers_for)
