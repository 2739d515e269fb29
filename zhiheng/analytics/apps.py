from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnalyticsConfig(AppConfig):
    name = "zhiheng.analytics"
    label = "analytics"
    verbose_name = _("成效分析")

    def ready(self) -> None:
        from . import parameters  # noqa: F401  the pilot flag is a parameter set (decision 0011)
