"""Issue 10 finding 6: the OpenAPI document states every operation's error answers and their shape."""

from __future__ import annotations

import pytest

from zhiheng.api.openapi import ERROR_REF, READS, WRITES

pytestmark = pytest.mark.django_db


@pytest.fixture
def document(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.json()


def operations(document):
    for path, item in document["paths"].items():
        for method, operation in item.items():
            yield path, method, operation


def test_the_error_component_is_api_mds_shape(document):
    error = document["components"]["schemas"]["Error"]
    assert error["required"] == ["error"]
    inner = error["properties"]["error"]
    assert inner["required"] == ["rule", "message", "detail"]
    assert inner["properties"]["detail"]["type"] == "object"


def test_every_operation_lists_its_error_statuses_in_the_error_shape(document):
    missing = []
    for path, method, operation in operations(document):
        wanted = set(WRITES if method != "get" else READS)
        if not operation.get("security"):
            wanted.discard(401)
        if method == "get" and not operation.get("parameters"):
            wanted.discard(422)
        responses = operation["responses"]
        for status in sorted(wanted):
            schema = responses.get(str(status), {}).get("content", {}).get("application/json", {})
            if schema.get("schema", {}).get("$ref") != ERROR_REF:
                missing.append(f"{method.upper()} {path} {status}")
        assert not any(code.startswith("5") for code in responses if code != "503"), (method, path)
    assert not missing, "\n".join(missing)


def test_a_throttled_sign_in_documents_retry_after(document):
    throttled = document["paths"]["/api/v1/auth/token"]["post"]["responses"]["429"]
    assert "Retry-After" in throttled["headers"]
    assert "401" in document["paths"]["/api/v1/auth/token"]["post"]["responses"]


def test_inputs_carry_their_bounds(document):
    schemas = document["components"]["schemas"]
    assert schemas["MeetingIn"]["properties"]["unit"]["maxLength"] == 32
    assert schemas["StatementIn"]["properties"]["reason"]["anyOf"][0]["maxLength"] == 4000
    assert schemas["AttendanceIn"]["properties"]["present"]["items"]["maxLength"] == 150
    assert schemas["TokenIn"]["properties"]["username"]["maxLength"] == 150


def test_no_two_schemas_share_a_name_in_the_document():
    """django-ninja names components by class name: two `RulesIn`s made the document show one body for
    both endpoints (the matter rules were documented with the meeting rules' fields)."""
    from pydantic import BaseModel

    from config.api import api

    seen: dict[str, type] = {}
    clashes = []
    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                for model in operation.models:
                    for field in model.model_fields.values():
                        kind = field.annotation
                        if isinstance(kind, type) and issubclass(kind, BaseModel):
                            other = seen.setdefault(kind.__name__, kind)
                            if other is not kind:
                                clashes.append((kind.__name__, other.__module__, kind.__module__))
    assert clashes == []
