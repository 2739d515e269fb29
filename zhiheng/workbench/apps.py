from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkbenchConfig(AppConfig):
    """工作台: each person's landing page and the navigation shown on every page. It reads every app, so
    it sits at the top of the layers (with risk); the shell below every app is zhiheng.web."""

    name = "zhiheng.workbench"
    verbose_name = _("工作台")
