"""Celery tasks of the integrity check-up: none yet. The checks run when a declaration is filed, inside its
transaction, so that the score the person is answered with is the one the commission's queue orders by."""
