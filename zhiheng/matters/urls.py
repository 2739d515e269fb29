from django.urls import path

from .web import exports, rules_views, views

app_name = "matters"
urlpatterns = [
    path("inbox/", views.inbox, name="inbox"),
    path("export.xlsx", exports.matters_xlsx, name="export"),
    path("units/<slug:code>/", views.unit_matters, name="unit"),
    path("units/<slug:code>/export.xlsx", exports.unit_matters_xlsx, name="unit_export"),
    path("units/<slug:code>/new/", views.submit, name="submit"),
    path("units/<slug:code>/budget/", views.budget_lines, name="budget"),
    path("units/<slug:code>/rules/", rules_views.unit_rules, name="unit_rules"),
    path("districts/<slug:code>/rules/", rules_views.district_rules, name="district_rules"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/evidence/<int:evidence_id>/", views.evidence_file, name="evidence"),
    path("<int:pk>/<slug:action>/", views.act, name="act"),
]
