"""The reasons the services and the API give for refusing something come in the language
of the request: English with the English cookie or Accept-Language, Chinese otherwise (the
site's language). Codes and fields never change."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.cache import cache

from fangkong.arrivals.models import ArrivalNotice
from fangkong.policy.services import policy_seed_2020
from fangkong.registry.models import Transfer
from tests.arrivals.test_notices import file_notice, inspect, workers
from tests.conftest import WANPING, World
from tests.english import CJK, english
from tests.registry.test_transfers import ask, resident  # noqa: F401  (a fixture)

SH = ZoneInfo("Asia/Shanghai")


@pytest.fixture(autouse=True)
def _today() -> Iterator[None]:
    cache.clear()
    with time_machine.travel(dt.datetime(2020, 3, 2, 9, 30, tzinfo=SH), tick=False):
        yield


def _reason(response: Any, status: int = 400) -> tuple[str, str | None, str]:
    assert response.status_code == status, response.json()
    error = response.json()["errors"][0]
    return error["code"], error["field"], error["reason"]


def _both(call: Any) -> tuple[tuple[str, str | None, str], tuple[str, str | None, str]]:
    """The same refusal asked for in English, then in the site's language."""
    return call("en"), call("zh-hans")


def _in_english(reason: str, *data: str) -> None:
    for value in data:
        reason = reason.replace(value, "")
    assert not CJK.search(reason), reason


def test_a_transfer_refused_without_a_reason(world: World, resident: Any) -> None:  # noqa: F811
    assert ask(world).status_code == 201
    transfer = Transfer.objects.get()

    def call(language: str) -> tuple[str, str | None, str]:
        return _reason(
            world.api(world.zhenguosi_worker).post(
                f"/api/v1/transfers/{transfer.pk}/refuse/",
                {"answer": " "},
                format="json",
                HTTP_ACCEPT_LANGUAGE=language,
            )
        )

    (code, field, reason), (zh_code, zh_field, zh_reason) = _both(call)
    assert (code, field) == (zh_code, zh_field) == ("required", "answer")
    _in_english(reason)
    assert "reason" in reason
    assert zh_reason == "不同意时请写明原因，如：此人仍住在本社区"


def test_an_arrival_not_yet_due(world: World) -> None:
    policy_seed_2020()
    filed = file_notice(
        world, world.wanping_worker, people=workers(2, start=830), planned_on="2020-03-04"
    )
    assert inspect(world, world.wanping_worker, filed.json()["id"]).status_code == 201
    notice = ArrivalNotice.objects.get(pk=filed.json()["id"])

    def call(language: str) -> tuple[str, str | None, str]:
        return _reason(
            world.api(world.wanping_worker).post(
                f"/api/v1/arrival-notices/{notice.pk}/arrive/",
                {"arrived_on": "2020-03-09"},
                format="json",
                HTTP_ACCEPT_LANGUAGE=language,
            )
        )

    (_code, field, reason), (_, _, zh_reason) = _both(call)
    assert field == "arrived_on"
    _in_english(reason)
    assert "2020-03-09" in reason
    assert "还没有到" in zh_reason
    # A page in English shows it in English too.
    page = english(world, world.wanping_worker).post(
        f"/arrivals/notices/{notice.pk}/arrive/", {"arrived_on": "2020-03-09"}
    )
    assert page.status_code == 400
    assert "has not come yet" in page.content.decode()
    assert "还没有到" not in page.content.decode()


def test_a_gate_check_without_input(world: World) -> None:
    def call(language: str) -> tuple[str, str | None, str]:
        return _reason(
            world.api(world.guard).post(
                "/api/v1/gate-checks/", {}, format="json", HTTP_ACCEPT_LANGUAGE=language
            )
        )

    (code, _, reason), (zh_code, _, zh_reason) = _both(call)
    assert code == zh_code == "required"
    _in_english(reason)
    assert zh_reason.startswith("请求内容为空")


def test_a_pass_for_a_person_out_of_reach(world: World) -> None:
    def call(language: str) -> tuple[str, str | None, str]:
        return _reason(
            world.api(world.zhenguosi_worker).post(
                "/api/v1/passes/1/suspend/",
                {"reason": "x"},
                format="json",
                HTTP_ACCEPT_LANGUAGE=language,
            ),
            404,
        )

    (_, _, reason), (_, _, zh_reason) = _both(call)
    _in_english(reason)
    assert zh_reason == "未找到，或不在您的管辖范围内。"


def test_a_publication_dated_in_the_past(world: World) -> None:
    policy_seed_2020()
    api = world.api(world.district_officer)
    draft = api.post("/api/v1/policies/", {}, format="json").json()

    def call(language: str) -> tuple[str, str | None, str]:
        return _reason(
            api.post(
                f"/api/v1/policies/{draft['id']}/publish/",
                {"effective_from": "2020-03-01"},
                format="json",
                HTTP_ACCEPT_LANGUAGE=language,
            )
        )

    (code, field, reason), (zh_code, _, zh_reason) = _both(call)
    assert (code, field) == ("past", "effective_from") and zh_code == "past"
    _in_english(reason)
    assert zh_reason == "生效日期不能早于今天"


def test_an_area_change_with_nothing_to_change(world: World) -> None:
    def call(language: str) -> tuple[str, str | None, str]:
        return _reason(
            world.api(world.district_officer).patch(
                f"/api/v1/areas/{WANPING}/", {}, format="json", HTTP_ACCEPT_LANGUAGE=language
            )
        )

    (_, _, reason), (_, _, zh_reason) = _both(call)
    _in_english(reason)
    assert zh_reason == "请给出新的名称（name）或新的上级（parent）"


def test_an_area_placed_wrongly_names_the_kinds_in_english(world: World) -> None:
    def call(language: str) -> tuple[str, str | None, str]:
        return _reason(
            world.api(world.district_officer).patch(
                f"/api/v1/areas/{WANPING}/",
                {"parent": WANPING},
                format="json",
                HTTP_ACCEPT_LANGUAGE=language,
            )
        )

    (_, field, reason), (_, _, zh_reason) = _both(call)
    assert field == "parent"
    _in_english(reason, world.areas[WANPING].name)
    assert CJK.search(zh_reason)
