from django.urls import path

from .web import views

app_name = "pilots"
PROGRAMME = "<int:pk>/"
urlpatterns = [
    path("districts/<slug:code>/", views.district, name="district"),
    path("units/<slug:code>/", views.unit, name="unit"),
    path(PROGRAMME, views.programme, name="programme"),
    path(PROGRAMME + "units/", views.add_unit, name="add_unit"),
    path(PROGRAMME + "units/<slug:code>/remove/", views.remove_unit, name="remove_unit"),
    path(PROGRAMME + "phases/", views.set_phase, name="set_phase"),
    path(PROGRAMME + "visits/", views.record_visit, name="record_visit"),
    path(PROGRAMME + "rollout/", views.roll_out, name="roll_out"),
]
