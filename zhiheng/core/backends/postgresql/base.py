"""Django's PostgreSQL engine with the after-transaction hook (core/transactions.py)."""

from django.db.backends.postgresql import base

from zhiheng.core.transactions import AfterTransaction


class DatabaseWrapper(AfterTransaction, base.DatabaseWrapper):
    pass
