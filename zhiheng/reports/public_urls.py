"""The public pages (no account): the report form and the follow-up."""

from django.urls import path

from .web import public

app_name = "report"
urlpatterns = [
    path("", public.report, name="form"),
    path("follow-up/", public.follow_up, name="follow_up"),
]
