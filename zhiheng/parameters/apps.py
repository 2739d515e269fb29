from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParametersConfig(AppConfig):
    name = "zhiheng.parameters"
    label = "parameters"
    verbose_name = _("参数")

    def ready(self) -> None:
        from django.utils.module_loading import autodiscover_modules

        # Each app declares its parameter sets in its own `parameters.py` (as Django's admin finds
        # `admin.py`): importing the module registers them. See docs/decisions/0011-parameters.md.
        autodiscover_modules("parameters")

        from zhiheng.ledger.services import sequencing

        from . import labels  # noqa: F401  registers the Chinese labels of its codes (zhiheng.web.labels)
        from .models import ParameterVersion

        # Batched ledger sequencing: a version learns its entry's index when the entry is integrated.
        sequencing.register_resolver("parameters.versions", sequencing.anchor_resolver(ParameterVersion))
