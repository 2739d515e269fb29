from django.urls import path

from .web import pdf, supervision, views

app_name = "meetings"
urlpatterns = [
    path("units/<slug:code>/", views.unit_meetings, name="unit"),
    path("<int:meeting_id>/", views.room, name="room"),
    path("<int:meeting_id>/minutes/", views.minutes, name="minutes"),
    path("<int:meeting_id>/minutes.pdf", pdf.minutes_pdf, name="minutes_pdf"),
    path("<int:meeting_id>/attendance/", views.attendance, name="attendance"),
    path("<int:meeting_id>/items/", views.add_item, name="add_item"),
    path("<int:meeting_id>/items/<int:item_id>/", views.item_fragment, name="item"),
    path("<int:meeting_id>/items/<int:item_id>/state/", views.state, name="state"),
    path("<int:meeting_id>/items/<int:item_id>/recommend/", views.recommend, name="recommend"),
    path("<int:meeting_id>/items/<int:item_id>/defer/", views.defer, name="defer"),
    path("<int:meeting_id>/close/", views.close, name="close"),
    path("<int:meeting_id>/observe/", supervision.observe, name="observe"),
    path("inspection/", supervision.inspection_list, name="inspection"),
    path("rules/districts/<slug:code>/", supervision.district_rules, name="district_rules"),
    path("rules/units/<slug:code>/", supervision.unit_rules, name="unit_rules"),
]
