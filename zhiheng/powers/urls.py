from django.urls import path

from .web import views

app_name = "powers"
urlpatterns = [
    path("units/<slug:code>/", views.catalogue, name="catalogue"),
    path("units/<slug:code>/export.xlsx", views.export_catalogue, name="export"),
    path("units/<slug:code>/import/", views.import_catalogue, name="import"),
    path("units/<slug:code>/plan/", views.editor, name="editor"),
    path("units/<slug:code>/plan/check/", views.check, name="check"),
    path("units/<slug:code>/plans/", views.plans, name="plans"),
    path("units/<slug:code>/plans/<int:version>/", views.plan, name="plan"),
    path("units/<slug:code>/plans/<int:version>/file/", views.file, name="file"),
    path("districts/<slug:code>/board/", views.board, name="board"),
]
