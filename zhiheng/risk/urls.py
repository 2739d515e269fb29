from django.urls import path

from .web import views

app_name = "risk"
urlpatterns = [
    path("", views.index, name="index"),
    path("<int:pk>/resolve/", views.resolve, name="resolve"),
]
