from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from zhiheng.core.apps import RegistersCodes


class ReportsConfig(RegistersCodes, AppConfig):
    name = "zhiheng.reports"
    verbose_name = _("信访举报")

    def ready(self) -> None:
        super().ready()
        from zhiheng.checkup.selectors import register_entry_guard

        from .rules import may_see_case

        # R-SUP-3: an archive entry from a report case is seen by whoever sees the case — never by the person
        # named in its reports, nor by anyone else concerned.
        register_entry_guard("report-case", may_see_case)
