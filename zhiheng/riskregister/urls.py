from django.urls import path

from .web import exports, views

app_name = "riskregister"
POINT = "points/<int:pk>/"
urlpatterns = [
    path("reviews/", views.reviews, name="reviews"),
    path("units/<slug:code>/", views.register, name="unit"),
    path("units/<slug:code>/new/", views.propose, name="propose"),
    path("units/<slug:code>/export.xlsx", exports.register_xlsx, name="export"),
    path("units/<slug:code>/import/", views.import_points, name="import"),
    path(POINT, views.point, name="point"),
    path(POINT + "edit/", views.edit, name="edit"),
    path(POINT + "review/", views.review, name="review"),
    path(POINT + "publish/", views.publish, name="publish"),
    path(POINT + "require-review/", views.require_review, name="require_review"),
    path(POINT + "retire/", views.retire, name="retire"),
]
