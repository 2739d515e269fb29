from importlib import import_module
from types import ModuleType

from django.apps import AppConfig
from django.utils.module_loading import module_has_submodule


class CoreConfig(AppConfig):
    name = "zhiheng.core"
    label = "core"


class RegistersCodes:
    """Mixed into a domain app's AppConfig (before AppConfig): at start-up it imports the app's modules
    that register its codes with the registries of the layers below — `events` (its ledger event codes,
    zhiheng.ledger.events) and `labels` (the Chinese labels of its codes, zhiheng.web.labels), whichever
    the app has. An app with more to do at start-up extends ready() and calls super().ready() first.

    A mixin rather than an AppConfig subclass: Django picks the config in an app's apps.py only when it
    is the one AppConfig subclass there."""

    name: str
    module: ModuleType | None
    registering_modules = ("events", "labels")

    def ready(self) -> None:
        for module in self.registering_modules:
            if module_has_submodule(self.module, module):
                import_module(f"{self.name}.{module}")
