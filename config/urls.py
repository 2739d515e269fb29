from django.urls import include, path, re_path

from config.api import api
from zhiheng.api import views as api_views

urlpatterns = [
    path("api/v1/", api.urls),
    re_path(r"^api/v1/(?P<rest>(?s:.*))$", api_views.not_found),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("zhiheng.accounts.urls")),
    path("org/", include("zhiheng.org.urls")),
    path("ledger/", include("zhiheng.ledger.urls")),
    path("powers/", include("zhiheng.powers.urls")),
    path("matters/", include("zhiheng.matters.urls")),
    path("meetings/", include("zhiheng.meetings.urls")),
    path("warnings/", include("zhiheng.risk.urls")),
    path("", include("zhiheng.workbench.urls")),
]
