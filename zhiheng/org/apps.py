from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgConfig(AppConfig):
    name = "zhiheng.org"
    label = "org"
    verbose_name = _("组织")

    def ready(self) -> None:
        from . import (
            events,  # noqa: F401  registers the ledger event codes
            labels,  # noqa: F401  registers the Chinese labels of its codes (zhiheng.web.labels)
        )
