from django.templatetags.static import static
from django.urls import include, path, re_path
from django.views.generic import RedirectView

from config.api import api
from zhiheng.api import views as api_views

urlpatterns = [
    path("api/v1/", api.urls),
    re_path(r"^api/v1/(?P<rest>(?s:.*))$", api_views.not_found),
    path("i18n/", include("django.conf.urls.i18n")),
    # Browsers ask /favicon.ico whatever the page says: the app's own icon (whitenoise serves it, cached).
    path("favicon.ico", RedirectView.as_view(url=static("web/favicon.ico"), permanent=True)),
    path("accounts/", include("zhiheng.accounts.urls")),
    path("org/", include("zhiheng.org.urls")),
    path("ledger/", include("zhiheng.ledger.urls")),
    path("powers/", include("zhiheng.powers.urls")),
    path("matters/", include("zhiheng.matters.urls")),
    path("meetings/", include("zhiheng.meetings.urls")),
    path("warnings/", include("zhiheng.risk.urls")),
    path("supervision/", include("zhiheng.supervision.urls")),
    path("inspections/", include("zhiheng.inspections.urls")),
    path("checkup/", include("zhiheng.checkup.urls")),
    path("report/", include("zhiheng.reports.public_urls")),
    path("reports/", include("zhiheng.reports.urls")),
    path("analytics/", include("zhiheng.analytics.urls")),
    path("riskregister/", include("zhiheng.riskregister.urls")),
    path("pilots/", include("zhiheng.pilots.urls")),
    path("unitrules/", include("zhiheng.unitrules.urls")),
    path("tours/", include("zhiheng.tours.urls")),
    path("", include("zhiheng.workbench.urls")),
]
