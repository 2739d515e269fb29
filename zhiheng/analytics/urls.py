from django.urls import path

from .web import views

app_name = "analytics"

urlpatterns = [
    path("", views.index, name="index"),
    path("export/<slug:chart>.xlsx", views.export, name="export"),
]
