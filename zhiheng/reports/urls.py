from django.urls import path

from .web import attachments, views

app_name = "reports"
urlpatterns = [
    path("", views.index, name="index"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/reply/", views.reply, name="reply"),
    path("<int:pk>/case/", views.open_case, name="open_case"),
    path("<int:pk>/close/", views.close_case, name="close_case"),
    path("<int:pk>/identity/", views.identity, name="identity"),
    path("<int:pk>/attachments/<int:aid>/", attachments.download, name="attachment"),
    path("<int:pk>/attachments/<int:aid>/original/", attachments.original, name="attachment_original"),
]
