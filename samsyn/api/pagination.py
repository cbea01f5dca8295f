"""Page-number pagination with a bounded page number.

django-ninja's own `page` has no upper bound, so `?page=10**25` became an OFFSET the database
cannot hold (SQLite "datatype mismatch", PostgreSQL "bigint out of range"): a 500. Here such a
page is a 422 like any other invalid parameter.
"""

from ninja import Field, Schema
from ninja.pagination import PageNumberPagination

MAX_PAGE = 1_000_000


class Pages(PageNumberPagination):
    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE)
        # Above the largest page the lists serve anyway (their max_page_size); beyond 64 bits
        # is a 422, as for every integer (samsyn.parties.bounds).
        page_size: int | None = Field(None, ge=1, le=2**63 - 1)
