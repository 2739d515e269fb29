from django.urls import path

from .web import attachments, views

app_name = "reports"
urlpatterns = [
    path("", views.index, name="index"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/reply/", views.reply, name="reply"),
    path("<int:pk>/case/", views.open_case, name="open_case"),
    path("<int:pk>/join/", views.join_case, name="join_case"),
    path("cases/<int:pk>/", views.case, name="case"),
    path("cases/<int:pk>/handlers/", views.case_handlers, name="case_handlers"),
    path("cases/<int:pk>/deadline/", views.case_deadline, name="case_deadline"),
    path("cases/<int:pk>/close/", views.case_close, name="case_close"),
    path("<int:pk>/identity/", views.identity, name="identity"),
    path("<int:pk>/attachments/<int:aid>/", attachments.download, name="attachment"),
    path("<int:pk>/attachments/<int:aid>/original/", attachments.original, name="attachment_original"),
]
