from django.urls import path

from .web import views

app_name = "reports"
urlpatterns = [
    path("", views.index, name="index"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/reply/", views.reply, name="reply"),
    path("<int:pk>/case/", views.open_case, name="open_case"),
    path("<int:pk>/close/", views.close_case, name="close_case"),
    path("<int:pk>/identity/", views.identity, name="identity"),
]
