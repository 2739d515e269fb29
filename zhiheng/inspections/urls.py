from django.urls import path

from .web import views

app_name = "inspections"
FINDING = "<int:pk>/findings/<int:finding_id>/"
urlpatterns = [
    path("", views.checks, name="list"),
    path("rectifications/", views.findings, name="findings"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/close/", views.close, name="close"),
    path("<int:pk>/findings/", views.record, name="record"),
    path(FINDING + "answer/", views.answer, name="answer"),
    path(FINDING + "accept/", views.accept, name="accept"),
    path(FINDING + "return/", views.return_, name="return"),
]
