"""The pagination kit: page requests and ``page_of`` (domain), and the cursor's wire format
(HTTP adapter), which clients hold on to and send back, so it must not change."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from datetime import UTC, datetime
from operator import itemgetter
from uuid import UUID

import pytest

from social.adapters.http.pagination import (
    PageQuery,
    decode_key_cursor,
    decode_rank_cursor,
    decode_time_cursor,
    encode_cursor,
)
from social.domain.shared.errors import FieldError, Invalid
from social.domain.shared.pagination import (
    MAX_LIMIT,
    AnyCursor,
    Cursor,
    KeyCursor,
    PageRequest,
    RankCursor,
    page_of,
)

ID = UUID("0190a3c2-7b1e-7c3d-8f00-123456789abc")
AT = datetime(2024, 5, 1, 12, 30, 15, 123456, tzinfo=UTC)
ISSUED = [  # tokens as the API issued them before the kit moved to the HTTP adapter
    (
        Cursor(AT, ID),
        "WyIyMDI0LTA1LTAxVDEyOjMwOjE1LjEyMzQ1NiswMDowMCIsIjAxOTBhM2MyLTdiMWUtN2MzZC04ZjAwLTEyMzQ1Njc4OWFiYyJd",
    ),
    (RankCursor(12.0, ID), "WyJyIiwxMi4wLCIwMTkwYTNjMi03YjFlLTdjM2QtOGYwMC0xMjM0NTY3ODlhYmMiXQ"),
    (
        RankCursor(1234.5678, ID),
        "WyJyIiwxMjM0LjU2NzgsIjAxOTBhM2MyLTdiMWUtN2MzZC04ZjAwLTEyMzQ1Njc4OWFiYyJd",
    ),
    (KeyCursor("dewi_3"), "WyJrIiwiZGV3aV8zIl0"),
    (KeyCursor("Zoë"), "WyJrIiwiWm9cdTAwZWIiXQ"),
]
DECODERS: dict[type, Callable[[str], AnyCursor]] = {
    Cursor: decode_time_cursor,
    RankCursor: decode_rank_cursor,
    KeyCursor: decode_key_cursor,
}
NOT_ISSUED = [FieldError("cursor", "is not a cursor this API issued")]


def _token(value: object) -> str:
    raw = json.dumps(value).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


@pytest.mark.parametrize(("cursor", "token"), ISSUED)
def test_the_wire_format_is_what_clients_already_hold(cursor: AnyCursor, token: str) -> None:
    assert encode_cursor(cursor) == token
    assert DECODERS[type(cursor)](token) == cursor


def test_the_last_page_has_no_token() -> None:
    assert encode_cursor(None) is None


@pytest.mark.parametrize(
    "token",
    [
        "garbage",
        "x",
        "%00",
        _token([AT.isoformat(), 123]),  # an id that is not a string
        _token(["r", 1.5, 7]),
        _token(["r", True, str(ID)]),  # a bool is not a rank
        _token(["k", 5]),
        _token({"k": "dewi"}),
        _token([AT.isoformat(), str(ID), "extra"]),
    ],
)
def test_a_token_this_api_did_not_issue_is_invalid_cursor(token: str) -> None:
    for decode in DECODERS.values():
        with pytest.raises(Invalid) as raised:
            decode(token)
        assert raised.value.errors == NOT_ISSUED


@pytest.mark.parametrize(("cursor", "token"), ISSUED)
def test_a_cursor_of_another_order_is_not_accepted(cursor: AnyCursor, token: str) -> None:
    for kind, decode in DECODERS.items():
        if kind is not type(cursor):
            with pytest.raises(Invalid):
                decode(token)


def test_a_page_query_decodes_the_cursor_of_the_order_asked_for() -> None:
    time_token, rank_token, key_token = ISSUED[0][1], ISSUED[1][1], ISSUED[3][1]
    assert PageQuery(5, time_token).by_time == PageRequest(5, Cursor(AT, ID))
    assert PageQuery(5, rank_token).by_rank == PageRequest(5, RankCursor(12.0, ID))
    assert PageQuery(5, key_token).by_key == PageRequest(5, KeyCursor("dewi_3"))
    for empty in (None, ""):
        query = PageQuery(7, empty)
        assert query.by_time == PageRequest(7)
        assert query.by_rank == PageRequest(7)
        assert query.by_key == PageRequest(7)


@pytest.mark.parametrize("limit", [0, -1, MAX_LIMIT + 1])
def test_a_limit_out_of_bounds_is_invalid(limit: int) -> None:
    with pytest.raises(Invalid) as raised:
        PageRequest[Cursor](limit)
    assert raised.value.errors[0].field == "limit"


def test_page_of_cuts_the_extra_row_and_names_the_last_kept() -> None:
    rows = [(f"item{i}", i) for i in range(4)]

    def position(row: tuple[str, int]) -> KeyCursor:
        return KeyCursor(str(row[1]))

    more = page_of(rows, 3, itemgetter(0), position)
    assert more.items == ["item0", "item1", "item2"] and more.next_cursor == KeyCursor("2")
    exactly_full = page_of(rows[:3], 3, itemgetter(0), position)
    assert exactly_full.items == ["item0", "item1", "item2"] and exactly_full.next_cursor is None
    assert page_of([], 3, itemgetter(0), position).next_cursor is None
