from django.urls import path

from .web import views

app_name = "analytics"

urlpatterns = [
    path("", views.index, name="index"),
]
