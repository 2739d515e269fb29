"""Answers built already in their schema's shape, rendered without ninja's output validation (issue 12).

ninja validates every answer against the operation's response schema, wrapping each nested object in a
getter: on a page of 50 matters that is ~5,000 validator calls, about a tenth of the request's CPU. A
view whose answer is built field by field in its schema's order (a `*_out` function) can skip it with
`@prebuilt` under its `@router` decorator (and over `@paginate`): the declared `response=` still makes
the OpenAPI document, and the answer is rendered by the same renderer. Tests compare each such answer with
what validation would have produced (`validated`), so the two cannot drift apart."""

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from django.http import HttpRequest, HttpResponse, HttpResponseBase
from ninja import NinjaAPI, Status
from ninja.renderers import JSONRenderer

View = TypeVar("View", bound=Callable[..., Any])
_RENDERER = JSONRenderer()  # the API's renderer (DocumentedErrorsAPI keeps ninja's default)
_CONTENT_TYPE = f"{_RENDERER.media_type}; charset={_RENDERER.charset}"


def prebuilt(view: View) -> View:
    """`view`'s answer (a body, or Status(code, body)) rendered as it is; ninja's parameters, pagination
    and OpenAPI document are unchanged (`wraps` keeps the signature and ninja's attributes)."""

    @wraps(view)
    def rendered(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        result = view(request, *args, **kwargs)
        if isinstance(result, HttpResponseBase):
            return result
        status = 200
        if isinstance(result, Status):
            status, result = result.status_code, result.value
        body = _RENDERER.render(request, result, response_status=status)
        return HttpResponse(body, status=status, content_type=_CONTENT_TYPE)

    return cast(View, rendered)


def validated(api: NinjaAPI, view_name: str, body: Any, status: int = 200) -> Any:
    """`body` as ninja would have answered it after validating it against the response schema of the
    operation whose view is named `view_name` (for the tests of `prebuilt` views)."""
    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                if operation.view_func.__name__ == view_name:
                    model = operation.response_models[status]
                    checked = model.model_validate({"response": body})
                    return checked.model_dump(by_alias=operation.by_alias)["response"]
    raise LookupError(view_name)
