"""Ids and dates out of any database's range are bad input, never a 500.

Found by fuzzing the API against its OpenAPI schema (schemathesis): "²" passes
`str.isdigit()` but not `int()`, twenty digits overflow a 64-bit key, 0001-01-01 and
9999-12-31 have no day before or after them, and 1e999 has no tenths."""

from __future__ import annotations

from typing import Any

import pytest

from fangkong.core.ids import MAX_ID, is_id, parse_id
from tests.conftest import WANPING_ZONE, World

HUGE = "9" * 20


@pytest.mark.parametrize(
    ("text", "expected"),
    [("12", 12), (" 7 ", 7), ("²", None), ("٣", None), ("0", None), ("-1", None), (HUGE, None)],
)
def test_an_id_is_ascii_digits_a_key_can_hold(text: str, expected: int | None) -> None:
    assert parse_id(text) == expected
    assert is_id(str(MAX_ID)) and not is_id(str(MAX_ID + 1)) and not is_id("1" * 5000)


def _field(response: Any) -> str:
    return str(response.json()["errors"][0]["field"])


def test_query_strings_that_overflow_are_ignored_or_refused(world: World) -> None:
    api = world.api(world.wanping_worker)
    for query in ("gate=²", f"gate={HUGE}"):
        assert api.get(f"/api/v1/gate-checks/?{query}").status_code == 200, query
    for url, field in (
        # One behaviour for dates in every query string: a day the log cannot hold is a 400.
        ("/api/v1/gate-checks/?date=9999-12-31", "date"),
        ("/api/v1/gate-checks/?date=0001-01-01", "date"),
        ("/api/v1/reports/daily/?date=0001-01-01", "date"),
        ("/api/v1/reports/daily/range/?to=0001-01-01", "to"),
        ("/api/v1/reports/daily/range/?from=0001-01-01&to=2020-02-20", "from"),
        ("/api/v1/people/?round=²", "round"),
        (f"/api/v1/people/?round={HUGE}", "round"),
    ):
        response = api.get(url)
        assert response.status_code == 400 and _field(response) == field, url
    page = world.client(world.wanping_worker)
    for url in ("/access/passes/new/?person=²", f"/access/passes/print/?ids={HUGE}"):
        assert page.get(url).status_code == 200, url


def test_ids_in_a_body_that_no_key_can_hold_name_the_field(world: World) -> None:
    api = world.api(world.wanping_worker)
    for url, body in (
        ("/api/v1/passes/", {"person": 2**64, "area": WANPING_ZONE, "kind": "resident"}),
        (
            "/api/v1/observations/",
            {"person": 2**64, "area": WANPING_ZONE, "mode": "home", "arrived_on": "2020-02-20"},
        ),
    ):
        response = api.post(url, body, format="json")
        assert response.status_code == 400 and _field(response) == "person", url
