"""Ninja plumbing only: the NinjaAPI, bearer auth, error mapping, pagination, idempotency."""
