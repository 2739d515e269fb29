"""Login (throttled), and "my API tokens" with revoke buttons (issue 10)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhiheng.core import clock

from .. import selectors, services
from ..http import PersonRequest
from .forms import ThrottledLoginForm


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    form_class = ThrottledLoginForm

    def form_invalid(self, form: AuthenticationForm) -> HttpResponse:
        response = super().form_invalid(form)
        if isinstance(form, ThrottledLoginForm) and form.refusal == "throttled":  # always one (form_class)
            response.status_code = 429
            response["Retry-After"] = str(form.retry_after)
        return response


@login_required
def tokens(request: PersonRequest) -> HttpResponse:
    now = clock.now()
    return render(
        request,
        "accounts/tokens.html",
        {
            "tokens": [(t, t.state_at(now)) for t in selectors.list_tokens_of(request.user)],
            "attempts": selectors.list_recent_attempts_for(request.user),
        },
    )


@login_required
@require_POST
def revoke_token(request: PersonRequest, token_id: int) -> HttpResponseRedirect:
    services.revoke_own_token(by=request.user, token_id=token_id)
    messages.success(request, _("令牌已撤销"))
    return redirect("accounts:tokens")


@login_required
@require_POST
def revoke_all_tokens(request: PersonRequest) -> HttpResponseRedirect:
    count = services.revoke_all_own_tokens(by=request.user)
    messages.success(request, _("已撤销 %(count)d 个令牌") % {"count": count})
    return redirect("accounts:tokens")
