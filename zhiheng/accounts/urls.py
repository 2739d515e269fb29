from django.contrib.auth import views as auth_views
from django.urls import path

from .web import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    # Django's LogoutView (POST only) flushes the session: its row is deleted, the cookie is worthless.
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("tokens/", views.tokens, name="tokens"),
    path("tokens/<int:token_id>/revoke/", views.revoke_token, name="revoke_token"),
    path("tokens/revoke-all/", views.revoke_all_tokens, name="revoke_all_tokens"),
]
