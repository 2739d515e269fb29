from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from zhiheng.core.apps import RegistersCodes


class OrgConfig(RegistersCodes, AppConfig):
    name = "zhiheng.org"
    label = "org"
    verbose_name = _("组织")
