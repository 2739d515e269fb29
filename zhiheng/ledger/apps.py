from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LedgerConfig(AppConfig):
    name = "zhiheng.ledger"
    label = "ledger"
    verbose_name = _("账本")

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from . import guard, labels  # noqa: F401  labels: the Chinese names of its codes (zhiheng.web.labels)

        # Infrastructure, not domain flow: every SQLite connection learns the append-only guard's function.
        connection_created.connect(guard.register_sqlite_function, dispatch_uid="ledger-guard-sqlite")
