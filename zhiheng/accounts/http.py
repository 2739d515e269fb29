"""Typed requests: what the API's bearer token and the pages' @login_required guarantee about a request.

Annotations only (nothing is checked or converted here): a handler behind the bearer token takes an
`AuthedRequest`, a page behind @login_required a `PersonRequest`. Imported at run time, not under
TYPE_CHECKING: django-ninja resolves every annotation of a handler's signature when it is registered.
"""

from __future__ import annotations

from django.http import HttpRequest

from .models import ApiToken, Person


class PersonRequest(HttpRequest):
    """A page request behind @login_required: `user` is the signed-in person, never AnonymousUser."""

    user: Person


class AuthedRequest(HttpRequest):
    """An API request past zhiheng.accounts.bearer.BearerToken: `auth` (and `user`) is the token's person,
    `api_token` the token row itself."""

    auth: Person
    user: Person
    api_token: ApiToken
