from django.urls import path, register_converter

from .web import views


class MonthConverter:
    """YYYY-MM in a URL (the view refuses a month that does not exist, 2026-13: 422)."""

    regex = r"[0-9]{4}-[0-9]{2}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


class DocumentFormatConverter(MonthConverter):
    regex = r"xlsx|pdf"


register_converter(MonthConverter, "yyyymm")
register_converter(DocumentFormatConverter, "docformat")

app_name = "supervision"
REPORTS = "units/<slug:code>/monthly-reports/"
urlpatterns = [
    path(REPORTS, views.unit_reports, name="unit_reports"),
    path(REPORTS + "<yyyymm:month>/", views.report, name="report"),
    path(REPORTS + "<yyyymm:month>/export.<docformat:fmt>", views.export, name="export"),
    path(REPORTS + "<yyyymm:month>/acknowledge/", views.acknowledge, name="acknowledge"),
    path(REPORTS + "<yyyymm:month>/remarks/", views.remark, name="remark"),
    path("districts/<slug:code>/monthly-reports/", views.district_month, name="district_month_latest"),
    path(
        "districts/<slug:code>/monthly-reports/<yyyymm:month>/", views.district_month, name="district_month"
    ),
]
