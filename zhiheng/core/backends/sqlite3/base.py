"""Django's SQLite engine with the after-transaction hook (core/transactions.py)."""

from django.db.backends.sqlite3 import base

from zhiheng.core.transactions import AfterTransaction


class DatabaseWrapper(AfterTransaction, base.DatabaseWrapper):
    pass
