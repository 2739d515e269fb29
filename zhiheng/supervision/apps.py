from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from zhiheng.core.apps import RegistersCodes


class SupervisionConfig(RegistersCodes, AppConfig):
    name = "zhiheng.supervision"
    label = "supervision"
    verbose_name = _("任中监督")
