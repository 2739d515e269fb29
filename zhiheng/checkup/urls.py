from django.urls import path

from .web import views

app_name = "checkup"
PERSON = "people/<str:username>/"
urlpatterns = [
    path("", views.index, name="index"),
    path(PERSON, views.person, name="person"),
    path(PERSON + "declarations/<int:pk>/", views.declaration, name="declaration"),
    path(PERSON + "exams/", views.record_exam, name="record_exam"),
    path(PERSON + "opinions/", views.issue_opinion, name="issue_opinion"),
]
