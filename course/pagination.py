"""One page of a hand-built list query, with what the pagination macro needs."""
import math
from dataclasses import dataclass


@dataclass
class Page:
    """What the pagination macro needs, for a hand-built query."""

    items: list
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def prev_num(self) -> int:
        return self.page - 1

    @property
    def next_num(self) -> int:
        return self.page + 1


MAX_PAGE = 100_000  # beyond any list, and far below the database's integers


def requested_page(args) -> int:
    """The `page` query parameter, kept between 1 and MAX_PAGE: a hostile number shows an
    empty last page instead of overflowing the database's OFFSET."""
    number = args.get("page", 1, type=int) or 1
    return min(max(number, 1), MAX_PAGE)
