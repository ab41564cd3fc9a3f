"""The median hours to done as a figure of the daily report: taken from the histogram of
the whole subtree, so 宛平城地区's median is that of all its requests done that day, not
the mean of its communities' medians; shown in the report API, the dashboard, the printed
日报 and the workbook, empty when nothing was done."""

from __future__ import annotations

import datetime as dt
import io

import time_machine
from openpyxl import load_workbook  # type: ignore[import-untyped]

from fangkong.accounts.roles import Role
from fangkong.arrivals.models import ObservationMode
from fangkong.arrivals.observation.services import observation_start
from fangkong.care.services import request_close, request_raise
from fangkong.core.figures import histogram, histogram_median
from tests.care.conftest import TODAY, Care, at
from tests.conftest import FENGTAI, WANPING, WANPING_STREET, World, make_account
from tests.factories import make_person

LUGOUQIAO = "110106014201"  # 卢沟桥村, the other place under 宛平城地区


def _done_after(actor, observation, hours: float) -> None:  # type: ignore[no-untyped-def]
    """A request raised at 00:30 and done `hours` later, on TODAY."""
    start = at(TODAY, 0, 30)
    with time_machine.travel(start, tick=False):
        request = request_raise(actor=actor, observation=observation, kind="shopping")
    with time_machine.travel(start + dt.timedelta(hours=hours), tick=False):
        request_close(actor=actor, request=request, done=True)


def _street(world: World, care: Care) -> None:
    """宛平城社区: 1, 2 and 9 hours (median 2); 卢沟桥村: 3 and 4 hours (median 3.5).
    The street: 1, 2, 3, 4, 9 → 3.0 (the mean of the medians would be 2.75, the mean 3.8)."""
    village = world.areas[LUGOUQIAO]
    villager = make_account("lugouqiao_worker", Role.COMMUNITY_WORKER, LUGOUQIAO)
    with time_machine.travel(at(TODAY - dt.timedelta(days=1), 9), tick=False):
        observed = observation_start(
            actor=villager,
            person=make_person(villager, village, "王五"),
            area=village,
            mode=ObservationMode.HOME,
            arrived_on=TODAY - dt.timedelta(days=1),
        )
    for hours in (1, 2, 9):
        _done_after(world.wanping_worker, care.wanping, hours)
    for hours in (3, 4):
        _done_after(villager, observed, hours)


def test_the_median_of_a_histogram() -> None:
    assert histogram_median({}) is None
    assert histogram_median(histogram([60, 120, 540]), scale=1 / 60) == 2.0
    assert histogram_median(histogram([60, 120, 180, 240]), scale=1 / 60) == 2.5
    assert histogram_median({"30": 3, "90": 1}) == 30
    assert histogram_median({"10": 1, "20": 0, "40": 1}) == 25


def test_a_streets_median_is_that_of_all_its_requests_not_a_mean_of_medians(
    world: World, care: Care
) -> None:
    _street(world, care)
    officer = world.api(world.district_officer)
    with time_machine.travel(at(TODAY, 20), tick=False):
        street = officer.get(
            "/api/v1/reports/daily/", {"area": WANPING_STREET, "date": TODAY.isoformat()}
        ).json()
        district = officer.get(
            "/api/v1/reports/daily/", {"area": FENGTAI, "date": TODAY.isoformat()}
        ).json()
        days = officer.get(
            "/api/v1/reports/daily/range/",
            {"area": WANPING_STREET, "from": (TODAY - dt.timedelta(days=1)).isoformat()},
        ).json()["days"]
    assert street["figures"]["care_done"] == 5
    assert street["figures"]["care_median_hours"] == 3.0
    children = {c["area"]["code"]: c["figures"] for c in street["children"]}
    assert children[WANPING]["care_median_hours"] == 2.0
    assert children[LUGOUQIAO]["care_median_hours"] == 3.5
    assert district["figures"]["care_median_hours"] == 3.0
    # Nothing was done the day before: empty, not 0.
    assert street["previous"]["care_median_hours"] is None
    assert [d["figures"]["care_median_hours"] for d in days] == [None, 3.0]


def test_the_dashboard_the_print_and_the_workbook_show_it(world: World, care: Care) -> None:
    _street(world, care)
    query = {"area": WANPING_STREET, "date": TODAY.isoformat()}
    with time_machine.travel(at(TODAY, 20), tick=False):
        client = world.client(world.district_officer)
        response = client.get("/reports/", query)
        assert response.status_code == 200, response.content.decode()[:3000]
        page = response.content.decode()
        printed = client.get("/reports/daily/print/", query).content.decode()
        book = client.get("/reports/daily.xlsx", query)
        before = client.get(
            "/reports/", {"area": WANPING_STREET, "date": (TODAY - dt.timedelta(1)).isoformat()}
        ).content.decode()
    row = page.split('data-figure="care_median_hours"')[1].split("</tr>")[0]
    assert "中位办结时长" in row and "3.0 小时" in row
    assert "中位办结时长" in printed and "<td>3.0</td>" in printed and "<td>3.5</td>" in printed
    empty = before.split('data-figure="care_median_hours"')[1].split("</tr>")[0]
    assert "— 小时" in empty
    sheet = load_workbook(io.BytesIO(book.content))["日报"]
    rows = list(sheet.iter_rows(values_only=True))
    column = next(i for i, name in enumerate(rows[2]) if name and "中位办结时长" in name)
    by_area = {r[1]: r[column] for r in rows[3:] if r and r[1]}
    assert by_area["宛平城社区"] == 2.0 and by_area["卢沟桥村"] == 3.5
    assert by_area["合计"] == 3.0
    assert rows[2][column] == "中位办结时长（小时）"


def test_the_care_page_and_the_report_give_the_same_median(world: World, care: Care) -> None:
    """Done 1 h 02 min 59 s after it was raised: 1.0 hours to the second, 1.1 by the
    report's whole minutes (63). The care summary follows the report's rule."""
    _done_after(world.wanping_worker, care.wanping, 1 + (2 * 60 + 59) / 3600)
    worker = world.api(world.wanping_worker)
    with time_machine.travel(at(TODAY, 20), tick=False):
        summary = worker.get("/api/v1/care/summary/", {"date": TODAY.isoformat()}).json()
        report = worker.get(
            "/api/v1/reports/daily/", {"area": WANPING, "date": TODAY.isoformat()}
        ).json()
    assert summary["median_hours_to_done"] == report["figures"]["care_median_hours"] == 1.1
