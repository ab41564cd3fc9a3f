"""The dashboard, the 日报 workbook and the printable page, on the known world; bad input."""

from __future__ import annotations

import io
import json
import re

import pytest
from openpyxl import load_workbook

from fangkong.audit.models import AuditEvent
from fangkong.reports.figures import FIGURES
from tests.conftest import FENGTAI, WANPING, WANPING_STREET, ZHENGUOSI, World
from tests.reports.conftest import CHENGNEI, D2, D3, MAJIABAO, Z1, ZHENGUOSI_DAYS, at, expected


def test_the_dashboard_shows_key_numbers_changes_children_and_trends(story: World) -> None:
    with at(D3, 20):
        page = story.client(story.district_officer).get(
            "/reports/", {"area": FENGTAI, "date": D2.isoformat()}
        )
    assert page.status_code == 200
    html = page.content.decode()
    total = expected(FENGTAI, D2)
    # Key numbers with the change since the day before, and their one-line explanation.
    card = re.search(r'data-figure="fevers".*?class="value">(\d+)<.*?较前一天 ↑(\d+)', html, re.S)
    assert card and card.groups() == (str(total["fevers"]), "2")
    assert 'title="当日健康报告或门岗测温发现体温异常的次数"' in html
    # One row per child, linked for drill-down, with the totals.
    assert f'href="?area={WANPING_STREET}&date=2020-02-19">宛平城地区</a>' in html
    assert f'href="?area={MAJIABAO}&date=2020-02-19">马家堡街道</a>' in html
    assert "合计" in html
    # The trend data for the charts: 30 days ending on the day.
    trend = json.loads(re.search(r'id="trend-data"[^>]*>(.*?)</script>', html, re.S).group(1))
    assert len(trend["dates"]) == 30 and trend["dates"][-1] == "02-19"
    assert trend["series"]["fevers"][-1] == total["fevers"]
    assert trend["series"]["observing_site"][-2:] == [1, 1]


def test_three_clicks_from_street_to_zone(story: World) -> None:
    client = story.client(story.wanping_officer)
    with at(D3, 20):
        street = client.get("/reports/").content.decode()
        assert f"?area={WANPING}&" in street
        community = client.get("/reports/", {"area": WANPING}).content.decode()
        assert f"?area={Z1}&" in community
        zone = client.get("/reports/", {"area": Z1}).content.decode()
    assert "这是最下一级" in zone
    assert 'id="children"' not in zone  # no empty table of sub-areas under it
    assert 'id="children"' in community
    # The trail leads back up, but not above the officer's own street.
    trail = re.search(r'<ol class="breadcrumb.*?</ol>', zone, re.S).group(0)
    assert "宛平城地区" in trail and "丰台区" not in trail


def test_the_daily_workbook_has_the_offices_shape(story: World) -> None:
    with at(D3, 20):
        response = story.client(story.wanping_officer).get(
            "/reports/daily.xlsx", {"area": WANPING, "date": D2.isoformat()}
        )
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    wb = load_workbook(io.BytesIO(response.content))
    ws = wb["日报"]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][0] == "宛平城社区疫情防控工作日报"
    assert "填报单位：宛平城社区" in rows[1][0] and "2020年02月19日" in rows[1][0]
    assert "已定稿" in rows[1][0]
    header = rows[2]
    assert header[:2] == ("序号", "区域") and header[2] == "登记人数（人）"
    body = {r[1]: r for r in rows[3:6]}
    assert set(body) == {"城内街", "桥西街", "城北街"}
    assert list(body["城内街"][2 : 2 + len(FIGURES)]) == [CHENGNEI[D2][f.key] for f in FIGURES]
    totals = rows[6]
    assert totals[1] == "合计"
    assert list(totals[2 : 2 + len(FIGURES)]) == [CHENGNEI[D2][f.key] for f in FIGURES]
    assert any(r[1] == "禁止通行原因" for r in rows[7:] if r)
    assert [r[0] for r in wb["指标说明"].iter_rows(min_row=2, values_only=True)][:2] == [
        "登记人数",
        "未返京",
    ]
    event = AuditEvent.objects.filter(action="export", object_type="reports.daily").get()
    assert event.actor == story.wanping_officer


def test_the_printable_daily_report(story: World) -> None:
    with at(D3, 20):
        page = story.client(story.district_officer).get(
            "/reports/daily/print/", {"area": MAJIABAO, "date": D2.isoformat()}
        )
    html = page.content.decode()
    assert page.status_code == 200
    assert "马家堡街道疫情防控工作日报" in html and "size: A4 landscape" in html
    row = re.search(r"<td class=\"name\">镇国寺社区</td>(.*?)</tr>", html, re.S).group(1)
    assert re.findall(r"<td>([\d—.]+)</td>", row) == [
        f.shown(ZHENGUOSI_DAYS[D2][f.key]) for f in FIGURES
    ]


@pytest.mark.parametrize(
    ("params", "field", "reason"),
    [
        ({"date": "2031-02-30"}, "日期", "不是有效日期"),
        ({"date": "2020-2-19x"}, "日期", "不是有效日期"),
        ({"date": "2020-02-21"}, "日期", "还没有到"),
        ({"area": WANPING}, "区域", "不在您的管辖范围内"),
    ],
)
@pytest.mark.parametrize("route", ["/reports/", "/reports/daily.xlsx", "/reports/daily/print/"])
def test_bad_input_is_a_400_naming_the_field(
    story: World, route: str, params: dict[str, str], field: str, reason: str
) -> None:
    with at(D3, 20):
        response = story.client(story.zhenguosi_worker).get(route, params)
    assert response.status_code == 400
    html = response.content.decode()
    assert f"<strong>{field}</strong>" in html and reason in html


@pytest.mark.parametrize(
    ("params", "field", "code"),
    [
        ({"date": "2020-02-30"}, "date", "invalid"),
        ({"date": "tomorrow"}, "date", "invalid"),
        ({"date": "2020-02-21"}, "date", "future"),
        ({"area": WANPING}, "area", "unknown_area"),
        ({"area": "999999"}, "area", "unknown_area"),
    ],
)
def test_bad_input_to_the_api_is_a_400_naming_the_field(
    story: World, params: dict[str, str], field: str, code: str
) -> None:
    with at(D3, 20):
        response = story.api(story.zhenguosi_worker).get("/api/v1/reports/daily/", params)
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == field
    assert response.json()["errors"][0]["code"] == code


@pytest.mark.parametrize(
    ("params", "field", "code"),
    [
        ({"from": "2020-02-20", "to": "2020-02-18"}, "from", "range_reversed"),
        ({"from": "2019-01-01", "to": "2020-02-20"}, "from", "range_too_long"),
        ({"to": "2020-03-01"}, "to", "future"),
        ({"from": "2020-13-01"}, "from", "invalid"),
    ],
)
def test_bad_ranges_are_400s(story: World, params: dict[str, str], field: str, code: str) -> None:
    with at(D3, 20):
        response = story.api(story.zhenguosi_worker).get("/api/v1/reports/daily/range/", params)
    assert response.status_code == 400
    assert (response.json()["errors"][0]["field"], response.json()["errors"][0]["code"]) == (
        field,
        code,
    )


def test_a_gate_guard_has_no_reports(story: World) -> None:
    with at(D3, 20):
        assert story.client(story.guard).get("/reports/").status_code == 403
        assert story.api(story.guard).get("/api/v1/reports/daily/").status_code == 403
        nav = story.client(story.zhenguosi_worker).get("/").content.decode()
    assert 'href="/reports/"' in nav


def test_a_zhenguosi_worker_sees_only_zhenguosi(story: World) -> None:
    with at(D3, 20):
        html = story.client(story.zhenguosi_worker).get("/reports/").content.decode()
    assert "镇国寺社区" in html
    for marker in ("宛平城", "城内街", WANPING, "丰台区", "马家堡街道"):
        assert marker not in html
    assert ZHENGUOSI in html


def test_an_account_over_the_whole_tree_starts_at_the_top(story: World) -> None:
    with at(D3, 20):
        body = story.api(story.admin).get("/api/v1/reports/daily/", {"date": "2020-02-19"}).json()
    assert body["area"]["code"] == FENGTAI
    assert body["figures"] == expected(FENGTAI, D2)


def test_the_nightly_job_makes_yesterday_final_and_starts_today(story: World) -> None:
    from django.core.management import call_command

    from fangkong.reports.models import DayBuild

    out = io.StringIO()
    with at(D3, 23, 59):
        DayBuild.objects.filter(on=D3).update(final=False)
    with at(D3 + (D3 - D2), 0, 10):
        call_command("daily", stdout=out)
    assert "生成每日数据" in out.getvalue()
    assert DayBuild.objects.get(on=D3).final
    assert not DayBuild.objects.get(on=D3 + (D3 - D2)).final


def test_todays_workbook_says_when_in_beijing_time(story: World) -> None:
    with at(D3, 14, 35):
        response = story.client(story.wanping_officer).get(
            "/reports/daily.xlsx", {"area": WANPING, "date": D3.isoformat()}
        )
    rows = list(load_workbook(io.BytesIO(response.content))["日报"].iter_rows(values_only=True))
    assert "截至 14:35（当日数据，仍在更新）" in rows[1][0]
