from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from zhiheng.core.apps import RegistersCodes


class AccountsConfig(RegistersCodes, AppConfig):
    name = "zhiheng.accounts"
    label = "accounts"
    verbose_name = _("账户")
