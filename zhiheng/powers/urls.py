from django.urls import path

from .web import district, exports, views

app_name = "powers"
urlpatterns = [
    path("units/<slug:code>/", views.catalogue, name="catalogue"),
    path("units/<slug:code>/export.xlsx", views.export_catalogue, name="export"),
    path("units/<slug:code>/import/", views.import_catalogue, name="import"),
    path("power-changes/<int:pk>/accept/", views.accept_change, name="change_accept"),
    path("power-changes/<int:pk>/reject/", views.reject_change, name="change_reject"),
    path("units/<slug:code>/plan/", views.editor, name="editor"),
    path("units/<slug:code>/plan/check/", views.check, name="check"),
    path("units/<slug:code>/plans/", views.plans, name="plans"),
    path("units/<slug:code>/plans/<int:version>/", views.plan, name="plan"),
    path("units/<slug:code>/plans/<int:version>/file/", views.file, name="file"),
    path("districts/<slug:code>/board/", views.board, name="board"),
    path("districts/<slug:code>/board/export.xlsx", exports.board_xlsx, name="board_export"),
    path("districts/<slug:code>/config/", district.config, name="district_config"),
    path("districts/<slug:code>/config/templates/", district.template_create, name="template_create"),
    path(
        "districts/<slug:code>/config/templates/<slug:template>/versions/",
        district.template_version,
        name="template_version",
    ),
    path("districts/<slug:code>/config/pairs/", district.pair_add, name="pair_add"),
    path("districts/<slug:code>/config/pairs/<int:pk>/retire/", district.pair_retire, name="pair_retire"),
    path("districts/<slug:code>/config/deadlines/", district.deadline_add, name="deadline_add"),
    path("districts/<slug:code>/config/categories/", district.category_add, name="category_add"),
    path("units/<slug:code>/policy/", district.unit_policy, name="unit_policy"),
    path("units/<slug:code>/policy/preview/", district.unit_policy_preview, name="unit_policy_preview"),
]
