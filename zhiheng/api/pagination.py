"""API.md lists: ?limit=&offset= → {"count": N, "items": [...]}."""

from collections.abc import Callable, Iterable
from typing import Any, Generic, TypeVar

from django.db.models import Model, QuerySet
from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination

Row = TypeVar("Row", bound=Model)
MAX_LIMIT = 500
MAX_OFFSET = 10_000_000  # far past any list; larger values overflowed the database's integer (issue 10)


class Page(LimitOffsetPagination):
    class Input(Schema):
        limit: int = Field(50, ge=1, le=MAX_LIMIT)
        offset: int = Field(0, ge=0, le=MAX_OFFSET)


class Rendered(Generic[Row]):
    """A lazy list for `Page`: COUNT, then the page's rows only, each shaped by `render` (the full list is
    never built; a page costs a constant number of queries). `load` reads the page's rows with whatever
    relations `render` needs (default: as the queryset has them)."""

    def __init__(
        self,
        qs: QuerySet[Row],
        render: Callable[[Row], dict[str, Any]],
        load: Callable[[QuerySet[Row]], Iterable[Row]] = iter,
    ) -> None:
        self.qs, self.render, self.load = qs, render, load

    def count(self) -> int:
        return self.qs.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, item: slice) -> list[dict[str, Any]]:
        return [self.render(row) for row in self.load(self.qs[item])]
