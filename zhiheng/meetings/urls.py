from django.urls import path

from .web import views

app_name = "meetings"
urlpatterns = [
    path("units/<slug:code>/", views.unit_meetings, name="unit"),
    path("<int:meeting_id>/", views.room, name="room"),
    path("<int:meeting_id>/minutes/", views.minutes, name="minutes"),
    path("<int:meeting_id>/attendance/", views.attendance, name="attendance"),
    path("<int:meeting_id>/items/", views.add_item, name="add_item"),
    path("<int:meeting_id>/items/<int:item_id>/", views.item_fragment, name="item"),
    path("<int:meeting_id>/items/<int:item_id>/state/", views.state, name="state"),
    path("<int:meeting_id>/items/<int:item_id>/recommend/", views.recommend, name="recommend"),
    path("<int:meeting_id>/close/", views.close, name="close"),
]
