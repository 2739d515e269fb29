from django.urls import path, re_path

from .web import views

app_name = "supervision"
MONTH = r"(?P<month>[0-9]{4}-[0-9]{2})"
UNIT = r"units/(?P<code>[-\w]+)/monthly-reports"
urlpatterns = [
    path("units/<slug:code>/monthly-reports/", views.unit_reports, name="unit_reports"),
    re_path(rf"^{UNIT}/{MONTH}/$", views.report, name="report"),
    re_path(rf"^{UNIT}/{MONTH}/export\.(?P<fmt>xlsx|pdf)$", views.export, name="export"),
    re_path(rf"^{UNIT}/{MONTH}/acknowledge/$", views.acknowledge, name="acknowledge"),
    re_path(rf"^{UNIT}/{MONTH}/remarks/$", views.remark, name="remark"),
    path("districts/<slug:code>/monthly-reports/", views.district_month, name="district_month_latest"),
    re_path(
        rf"^districts/(?P<code>[-\w]+)/monthly-reports/{MONTH}/$", views.district_month, name="district_month"
    ),
]
