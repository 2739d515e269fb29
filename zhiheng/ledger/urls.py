from django.urls import path

from .web import views

app_name = "ledger"
urlpatterns = [
    path("", views.index, name="index"),
    path("entries/<int:index>/", views.entry, name="entry"),
    path("entries/<int:index>/proof/", views.proof, name="proof"),
    path("pending/<int:pending>/", views.pending, name="pending"),
    path("verify/", views.verify, name="verify"),
    path("checkpoint/", views.checkpoint, name="checkpoint"),
]
