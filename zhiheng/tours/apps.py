from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from zhiheng.core.apps import RegistersCodes


class ToursConfig(RegistersCodes, AppConfig):
    name = "zhiheng.tours"
    label = "tours"
    verbose_name = _("集中巡察")

    def ready(self) -> None:
        super().ready()
        from zhiheng.checkup.selectors import register_entry_guard

        from .rules import may_see_archive_entry

        # R-GATE-5/R-GATE-3: a tour's entry in a principal's archive counts the opinions and leads about
        # them — seen by the commission that ran the tour, never by the principal themself.
        register_entry_guard("tour-target", may_see_archive_entry)
