from django.urls import path

from .web import views

app_name = "tours"
TOUR = "<int:pk>/"
ITEM = "rectifications/<int:pk>/"
urlpatterns = [
    path("districts/<slug:code>/", views.district, name="district"),
    path("districts/<slug:code>/new/", views.open_tour, name="new"),
    path("districts/<slug:code>/method/", views.method, name="method"),
    path("units/<slug:code>/", views.unit, name="unit"),
    path(TOUR, views.tour, name="tour"),
    path(TOUR + "advance/", views.advance, name="advance"),
    path(TOUR + "opinions/", views.opinions, name="opinions"),
    path(TOUR + "rectifications/", views.rectify, name="rectify"),
    path(TOUR + "leads/", views.lead, name="lead"),
    path(ITEM + "answer/", views.answer, name="answer"),
    path(ITEM + "close/", views.close, name="close"),
]
