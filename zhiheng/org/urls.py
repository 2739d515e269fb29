from django.urls import path

from .web import views

app_name = "org"
urlpatterns = [
    path("districts/<slug:code>/", views.district, name="district"),
    path("units/<slug:code>/", views.unit, name="unit"),
    path("units/<slug:code>/edit/", views.edit_unit, name="edit_unit"),
    path("units/<slug:code>/appoint/", views.appoint, name="appoint"),
    path("units/<slug:code>/principal/", views.change_principal, name="change_principal"),
    path("units/<slug:code>/terms/<int:membership_id>/end/", views.end_term, name="end_term"),
]
