from django.urls import path

from .web import exports, views

app_name = "risk"
urlpatterns = [
    path("", views.index, name="index"),
    path("export.xlsx", exports.warnings_xlsx, name="export"),
    path("<int:pk>/resolve/", views.resolve, name="resolve"),
]
