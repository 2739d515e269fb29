from django.urls import path

from .web import exports, views

app_name = "unitrules"
UNIT = "units/<slug:code>/"
RULE = UNIT + "rules/<slug:rule>/"
DISTRICT = "districts/<slug:code>/"
urlpatterns = [
    path(UNIT, views.unit_rules, name="unit"),
    path(UNIT + "new/", views.create, name="create"),
    path(UNIT + "adopt/", views.adopt, name="adopt"),
    path(UNIT + "import/", views.import_rules, name="import"),
    path(UNIT + "export.xlsx", exports.rules_xlsx, name="export"),
    path(RULE, views.rule, name="rule"),
    path(RULE + "revise/", views.revise, name="revise"),
    path(RULE + "repeal/", views.repeal, name="repeal"),
    path(DISTRICT, views.library, name="library"),
    path(DISTRICT + "new/", views.create_model, name="create_model"),
    path(DISTRICT + "import/", views.import_library, name="import_library"),
    path(DISTRICT + "export.xlsx", exports.library_xlsx, name="export_library"),
    path("models/<int:pk>/", views.model, name="model"),
    path("models/<int:pk>/edit/", views.edit_model, name="edit_model"),
    path("models/<int:pk>/withdraw/", views.withdraw_model, name="withdraw_model"),
]
