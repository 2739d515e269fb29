"""Django's own database engines with the after-transaction hook mixed in (core/transactions.py).

Configure them as ENGINE "zhiheng.core.backends.sqlite3" and "zhiheng.core.backends.postgresql"
(config/settings.py maps Django's engine names onto these).
"""

from typing import Any

ENGINES = {
    "django.db.backends.sqlite3": "zhiheng.core.backends.sqlite3",
    "django.db.backends.postgresql": "zhiheng.core.backends.postgresql",
}


def with_hooks(database: dict[str, Any]) -> dict[str, Any]:
    """A DATABASES entry on the matching zhiheng engine (entries already on one are kept)."""
    engine = database.get("ENGINE", "")
    return {**database, "ENGINE": ENGINES.get(engine, engine)}
