"""REST endpoints of the ledger (API.md: checkpoint, entries, proofs). Hashes and signatures are hex.

`entry` is the entry's canonical JSON *text*: its UTF-8 bytes are exactly the bytes that were hashed,
so a verifier hashes the string as given and never re-serialises it.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.db.models import QuerySet
from django.http import HttpRequest, JsonResponse
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from zhiheng.api.pagination import Page
from zhiheng.core.clock import SHANGHAI
from zhiheng.core.errors import Invalid, NotFound

from . import rules, selectors, services, witness
from .models import Checkpoint, Entry

router = Router(tags=["ledger"])


class ApiRequest(HttpRequest):
    """A request past the API's bearer token: `auth` is the person it names. The ledger imports no
    domain app (not accounts' AuthedRequest either); its rules take the person as given."""

    auth: AbstractBaseUser


class CheckpointOut(Schema):
    size: int
    root: str
    timestamp: str
    signature: str
    key_id: str


class EntryOut(Schema):
    index: int
    entry: str
    leaf_hash: str


class EntryRowOut(Schema):
    index: int
    type: str
    unit: str
    district: str | None
    subject: str
    who: str
    time: str

    @staticmethod
    def resolve_type(obj: Entry) -> str:
        return obj.event_type

    @staticmethod
    def resolve_who(obj: Entry) -> str:
        return obj.actor

    @staticmethod
    def resolve_time(obj: Entry) -> str:
        return obj.recorded_at.astimezone(SHANGHAI).isoformat()


class PendingOut(Schema):
    """Batched sequencing (decision 0017): an entry recorded and committed but not yet in the tree."""

    status: str  # "pending" (待入账: no index yet) | "integrated"
    index: int | None
    pending: int | None = None
    message: str = ""


class InclusionIn(Schema):
    index: int
    size: int


class InclusionOut(Schema):
    index: int
    size: int
    hashes: list[str]


class ConsistencyIn(Schema):
    first: int
    second: int


class ConsistencyOut(Schema):
    first: int
    second: int
    hashes: list[str]


def checkpoint_json(cp: Checkpoint) -> dict[str, Any]:
    from .signing import format_timestamp

    return {
        "size": cp.size,
        "root": bytes(cp.root).hex(),
        "timestamp": format_timestamp(cp.timestamp),
        "signature": bytes(cp.signature).hex(),
        "key_id": cp.key_id,
    }


@router.get("/ledger/checkpoint", response=CheckpointOut, summary="最新签名检查点")
def latest_checkpoint(request: HttpRequest) -> dict[str, Any]:
    """The latest signed checkpoint; if none was ever issued, one is issued now."""
    cp = selectors.latest_checkpoint() or services.issue_checkpoint(reason="first-request")
    return checkpoint_json(cp)


@router.get("/ledger/entries", response=list[EntryRowOut], summary="账本条目列表（仅本人可见范围）")
@paginate(Page)
def entries(request: ApiRequest, unit: str = "", subject: str = "", type: str = "") -> QuerySet[Entry]:
    """Entries the caller may see (rules.py), newest first; `?unit=&subject=&type=` narrow the list."""
    return rules.list_entries_for(request.auth, unit=unit[:32], subject=subject[:128], event_type=type[:64])


NOT_YET = "该条目已记录、尚未并入默克尔树（待入账），通常一秒内完成；之后才有序号、条目内容和包含证明。"


def _not_yet(index: int | None, pending: int | None = None) -> Status[dict[str, Any]]:
    return Status(202, {"status": "pending", "index": index, "pending": pending, "message": NOT_YET})


@router.get(
    "/ledger/pending/{pending}", response={200: PendingOut, 202: PendingOut}, summary="待入账条目状态"
)
def pending_status(request: ApiRequest, pending: int) -> Status[dict[str, Any]]:
    """An entry by the pending id record() returned (batched sequencing): 202 "pending" while it waits
    for integration, 200 "integrated" with its index once it is in the tree; 404 unknown or invisible."""
    status, index = rules.pending_status_for(request.auth, pending)
    if status == "pending":
        return _not_yet(None, pending)
    return Status(200, {"status": status, "index": index, "pending": pending, "message": ""})


@router.get("/ledger/entries/{index}", response={200: EntryOut, 202: PendingOut}, summary="账本条目")
def entry(request: ApiRequest, index: int) -> Any:
    try:
        found = rules.get_entry_for(request.auth, index)
    except NotFound:
        if rules.awaiting_index(index):  # to be given to an entry recorded already: not yet, not 404
            return _not_yet(index)
        raise
    return {"index": found.index, "entry": found.text, "leaf_hash": bytes(found.leaf_hash).hex()}


def _in_range(**values: int) -> None:
    for name, value in values.items():
        if value < 0:
            raise Invalid("R-LED-3", f"{name} 不能为负数", {"fields": {name: ["不能为负数"]}})


@router.get("/ledger/proofs/inclusion", response={200: InclusionOut, 202: PendingOut}, summary="包含证明")
def inclusion(request: ApiRequest, params: Query[InclusionIn]) -> Any:
    _in_range(index=params.index, size=params.size)
    try:
        hashes = selectors.inclusion_proof(params.index, params.size)  # 422 R-LED-3 on bad sizes
    except Invalid:
        if rules.awaiting_index(params.index):  # promised to an entry recorded already: not yet
            return _not_yet(params.index)
        raise
    # 404 if the caller may not see the entry (rules.get_entry_for without reading the tree size again:
    # index < size <= the tree size was checked above; nor the entry's data).
    found = selectors.entry_scope(params.index)
    if found is None or not rules.visible_scope(request.auth).allows(found):
        raise NotFound()
    return {"index": params.index, "size": params.size, "hashes": [h.hex() for h in hashes]}


@router.get("/ledger/proofs/consistency", response=ConsistencyOut, summary="一致性证明")
def consistency(request: HttpRequest, params: Query[ConsistencyIn]) -> dict[str, Any]:
    _in_range(first=params.first, second=params.second)
    hashes = selectors.consistency_proof(params.first, params.second)
    return {"first": params.first, "second": params.second, "hashes": [h.hex() for h in hashes]}


class WitnessIn(Schema):
    origin: str = Field(..., max_length=64)
    size: int = Field(..., ge=0, le=2**63 - 1)
    root: str = Field(..., max_length=128)
    timestamp: str = Field(..., max_length=64)
    signature: str = Field(..., max_length=256)
    key_id: str = Field(..., max_length=128)
    consistency: dict[str, Any] | None = None


@router.post("/ledger/witness", auth=None, summary="见证另一服务器的签名检查点")
def witness_checkpoint(request: HttpRequest, body: WitnessIn) -> JsonResponse | dict[str, str]:
    """Another district's server (or another Zhiheng) pushes its latest signed checkpoint; this server
    checks the signature with the key configured for that origin (LEDGER_WITNESS_TRUSTED) and that it
    extends the last one witnessed here (a consistency proof), then appends it to its witness log.
    No sign-in: the Ed25519 signature under a pinned key is the authentication. 409 names the size
    witnessed here when a consistency proof from it is needed (or when the checkpoint is a fork)."""
    try:
        status = witness.receive(body.dict())
    except witness.Refused as refused:
        error = {"rule": "R-LED-2", "message": refused.message, "detail": refused.extra}
        return JsonResponse({"error": error}, status=refused.status)  # API.md's error shape
    return {"status": status}
