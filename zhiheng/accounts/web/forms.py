"""The login form: Django's, with the password checked by signin.sign_in (throttled, recorded)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm

from ..signin import AuthFailed, HasLeft, Throttled, request_address, sign_in


class ThrottledLoginForm(AuthenticationForm):
    """`refusal` tells the page why a login failed: "invalid", "left" or "throttled" (with `retry_after`)."""

    refusal: str | None = None
    retry_after: int = 0

    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if username is not None and password:
            try:
                self.user_cache = sign_in(
                    username=username, password=password, address=request_address(self.request), channel="web"
                )
            except Throttled as err:
                self.refusal, self.retry_after = "throttled", err.retry_after
                raise forms.ValidationError(err.message, code="throttled") from err
            except HasLeft as err:
                self.refusal = "left"
                raise forms.ValidationError(err.message, code="left") from err
            except AuthFailed as err:
                self.refusal = "invalid"
                raise forms.ValidationError(err.message, code="invalid_login") from err
            self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data
