"""Unknown paths under /api/v1/ answer in the API's error shape, not Django's HTML 404."""

import json

from django.http import HttpResponse


def not_found(request, rest: str = "") -> HttpResponse:
    body = {"error": {"rule": "not-found", "message": "接口不存在", "detail": {"path": request.path}}}
    return HttpResponse(json.dumps(body, ensure_ascii=False), status=404, content_type="application/json")
