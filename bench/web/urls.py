"""Benchmark-only URLs: the product's, plus the baseline endpoint the benchmark compares every endpoint with
(bench/web/settings.py). The baseline is the least an authenticated API read can cost: the same middleware,
the same bearer-token authentication, one row read by a unique index, a small JSON answer."""

from django.http import HttpRequest
from django.urls import path
from ninja import NinjaAPI, Schema

from config.urls import urlpatterns as product_urlpatterns
from zhiheng.accounts.bearer import bearer
from zhiheng.org.models import Unit

baseline = NinjaAPI(urls_namespace="bench", auth=bearer, docs_url=None, openapi_url=None)


class UnitOut(Schema):
    code: str
    name: str


@baseline.get("/unit/{code}", response=UnitOut)
def one_unit(request: HttpRequest, code: str) -> Unit:
    return Unit.objects.only("code", "name").get(code=code)


urlpatterns = [path("api/v1/bench/", baseline.urls), *product_urlpatterns]
