"""The returnee pages in English: with the language set to English, nothing of the page's
own wording is left in Chinese — only the data (people's, places' and units' names,
addresses, the policy's title), which is shown as it was entered.

Checked is the page's own part: <main> of the site's pages (the menu, header and footer
come from the base template and other apps) and the whole body of the print pages."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.cache import cache
from django.test import Client

from fangkong.arrivals.health.services import report_submit, self_report_token
from fangkong.arrivals.inspections.services import (
    HOME_TEAM_ROLES,
    JOINT_TEAM_ROLES,
    inspection_record,
    letter_sign,
    spot_checks_schedule,
)
from fangkong.arrivals.models import (
    CHECKLISTS,
    SYMPTOMS,
    ArrivalNotice,
    FiledBy,
    Observation,
    ObservationMode,
    Slot,
)
from fangkong.arrivals.notices.rules import PROVINCES
from fangkong.arrivals.notices.selectors import notice_link_token
from fangkong.arrivals.notices.services import notice_file
from fangkong.arrivals.observation.services import observation_start
from fangkong.policy.models import PolicyVersion
from fangkong.policy.services import policy_seed_2020
from fangkong.site.services import daily_run
from fangkong.units.models import Unit, UnitKind
from tests.conftest import WANPING, WANPING_ZONE, World
from tests.factories import make_person, valid_id, valid_mobile

SH = ZoneInfo("Asia/Shanghai")
TODAY = dt.date(2020, 3, 2)
ARRIVED = dt.date(2020, 2, 27)
CJK = re.compile(r"[\u4e00-\u9fff]")

# The data the story puts in; shown as entered, in any language.
NAMES = ["张小明", "张**", "张", "王经理", "冯佳", "李明", "社区主任", "地铁16号线施工项目部"]
ADDRESSES = ["城内街8号院", "城内街12号院", "西厢房"]
# Stored as written when they happened, so shown as stored: an alert's symptoms, the
# reason of the observation's start, the roles an inspection team is offered and keeps.
STORED = [
    *SYMPTOMS.values(),
    f"{ARRIVED} 到京",
    *JOINT_TEAM_ROLES,
    *HOME_TEAM_ROLES,
    "医务人员",
    "下沉干部",
    "房东",
]
# Parts of other apps shown on these pages, checked there: the call button (contacts) and
# the self-report link's error, which is the health service's own message.
OTHER_APPS = [
    r'<form method="post" action="/contacts/call/.*?</form>',
    r'<div class="alert[^"]*" id="link-error".*?</div>',
]


@pytest.fixture(autouse=True)
def clock() -> Iterator[Any]:
    moment = dt.datetime(2020, 3, 2, 9, 30, tzinfo=SH)
    with time_machine.travel(moment, tick=False) as traveller:
        yield traveller


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


def workers(n: int, start: int = 500) -> list[dict[str, str]]:
    return [
        {
            "name": f"工人{i + 1}",
            "document_type": "resident_id",
            "document_number": valid_id(start + i, region="411502"),
            "phone": valid_mobile(start + i),
        }
        for i in range(n)
    ]


class Story:
    """A unit notice inspected, signed and spot-checked; a home notice ready to arrive;
    a home observation with a fever report, its alert and a call task."""

    def __init__(self, world: World, clock: Any) -> None:
        policy_seed_2020()
        worker = world.wanping_worker
        self.world = world
        self.site = Unit.objects.create(
            area=world.areas[WANPING],
            name="地铁16号线施工项目部",
            kind=UnitKind.CONSTRUCTION_SITE,
            contact_name="王经理",
            contact_phone_masked="138****1616",
        )
        self.unit_notice = notice_file(
            actor=worker,
            area=world.areas[WANPING],
            filed_by=FiledBy.EMPLOYER,
            filer_name="王经理",
            origin_code="410000",
            planned_on=dt.date(2020, 3, 9),
            mode=ObservationMode.UNIT,
            unit=self.site,
            people=workers(2),
        )
        inspection_record(
            actor=worker,
            notice=self.unit_notice,
            kind=ObservationMode.UNIT,
            checklist=dict.fromkeys(CHECKLISTS[ObservationMode.UNIT], True),
            team=[("冯佳", "社区主任")],
            inspected_on=TODAY,
        )
        letter_sign(
            actor=worker,
            notice=self.unit_notice,
            signed_on=TODAY,
            unit_signatory="王经理",
            community_signatory="冯佳",
        )
        self.spot_check = spot_checks_schedule(notice=self.unit_notice, count=2, seed=16)[0]
        self.home_notice = notice_file(
            actor=worker,
            area=world.areas[WANPING_ZONE],
            filed_by=FiledBy.RETURNEE,
            filer_name="李明",
            origin_code="130000",
            planned_on=TODAY,
            mode=ObservationMode.HOME,
            building="城内街12号院",
            room="西厢房",
            people=workers(1, start=600),
        )
        inspection_record(
            actor=worker,
            notice=self.home_notice,
            kind=ObservationMode.HOME,
            checklist=dict.fromkeys(CHECKLISTS[ObservationMode.HOME], True),
            team=[("冯佳", "社区主任")],
            inspected_on=TODAY,
        )
        person = make_person(worker, world.areas[WANPING_ZONE], "张小明", building="城内街8号院")
        clock.move_to(dt.datetime.combine(ARRIVED, dt.time(10), tzinfo=SH))
        self.observation = observation_start(
            actor=worker,
            person=person,
            area=world.areas[WANPING_ZONE],
            mode=ObservationMode.HOME,
            arrived_on=ARRIVED,
        )
        clock.move_to(dt.datetime(2020, 2, 28, 8, tzinfo=SH))
        report_submit(
            observation=self.observation,
            on=dt.date(2020, 2, 28),
            slot=Slot.MORNING,
            temperature=Decimal("38.2"),
            symptoms=["cough"],
            by_self=True,
        )
        clock.move_to(dt.datetime(2020, 3, 1, 0, 10, tzinfo=SH))
        daily_run(on=dt.date(2020, 3, 1))  # 2-28 evening and 2-29 were not reported
        clock.move_to(dt.datetime(2020, 3, 2, 9, 30, tzinfo=SH))
        self.report_token = self_report_token(observation=self.observation)

    def data(self) -> list[str]:
        """What is shown as entered: names, places, the policy's title, the provinces."""
        areas = [a.name for a in self.world.areas.values()]
        notices = ArrivalNotice.objects.all()
        origins = [n.origin_name for n in notices] + [str(n.address) for n in notices if n.address]
        people = [p.name for n in notices for p in n.people.all()]
        observations = Observation.objects.select_related("person")
        people += [o.person.name for o in observations]
        people += [str(o.address) for o in observations if o.address]
        policies = [p.label for p in PolicyVersion.objects.all()]
        policies += [p.note for p in PolicyVersion.objects.all() if p.note]
        provinces = list(PROVINCES.values())
        units = [u.name for u in Unit.objects.all()]
        found = [
            *NAMES,
            *ADDRESSES,
            *STORED,
            *areas,
            *origins,
            *people,
            *policies,
            *provinces,
            *units,
        ]
        return sorted({d for d in found if d}, key=len, reverse=True)


@pytest.fixture
def story(world: World, clock: Any) -> Story:
    return Story(world, clock)


def english(world: World) -> Client:
    client = world.client(world.wanping_worker)
    client.cookies["django_language"] = "en"
    return client


def own_part(html: str) -> str:
    """The page's own part: <main> when the page has the site's frame, else the body."""
    found = re.search(r"<main\b.*?</main>", html, flags=re.S) or re.search(
        r"<body\b.*?</body>", html, flags=re.S
    )
    assert found, html[:300]
    return found.group(0)


def chinese_left(html: str, data: list[str]) -> list[str]:
    text = own_part(html)
    text = re.sub(r"<script\b.*?</script>", "", text, flags=re.S)
    text = re.sub(r"<svg\b.*?</svg>", "", text, flags=re.S)
    for pattern in OTHER_APPS:
        text = re.sub(pattern, "", text, flags=re.S)
    for value in data:
        text = text.replace(value, "").replace(value.replace("&", "&amp;"), "")
    lines = [line.strip() for line in text.splitlines() if CJK.search(line)]
    return lines


def assert_english(client: Client, url: str, data: list[str], status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    html = response.content.decode()
    assert chinese_left(html, data) == [], url
    return html


def test_the_worker_pages_read_in_english(world: World, story: Story) -> None:
    client = english(world)
    data = story.data()
    unit, home = story.unit_notice.pk, story.home_notice.pk
    observation = story.observation.pk
    pages = [
        "/arrivals/notices/",
        "/arrivals/notices/?status=ready",
        f"/arrivals/notices/{unit}/",
        f"/arrivals/notices/{home}/",
        "/arrivals/notices/new/",
        "/arrivals/unannounced/new/",
        "/arrivals/notices/link/",
        f"/arrivals/notices/{home}/arrive/",
        f"/arrivals/notices/{unit}/inspection/",
        f"/arrivals/notices/{unit}/letter/",
        f"/arrivals/notices/{unit}/reschedule/",
        f"/arrivals/spot-checks/{story.spot_check.pk}/",
        "/arrivals/observations/",
        "/arrivals/observations/?tab=fever",
        f"/arrivals/observations/{observation}/",
        "/arrivals/observations/new/",
        "/arrivals/observations/new/?q=%E5%BC%A0",
        f"/arrivals/observations/new/?person={story.observation.person_id}",
        "/arrivals/alerts/",
        "/arrivals/alerts/?state=all",
        "/arrivals/tasks/",
        "/arrivals/tasks/?state=open",
    ]
    left = {url: chinese_left(client.get(url).content.decode(), data) for url in pages}
    assert {url: lines for url, lines in left.items() if lines} == {}
    detail = assert_english(client, f"/arrivals/notices/{unit}/", data)
    assert "Next step:" in detail and "Responsibility Letter" in detail
    alerts = assert_english(client, "/arrivals/alerts/", data)
    assert "Fever" in alerts


def test_the_print_pages_read_in_english(world: World, story: Story, clock: Any) -> None:
    client = english(world)
    data = story.data()
    observation, unit = story.observation.pk, story.unit_notice.pk
    notices = assert_english(
        client, f"/arrivals/observations/print/notices/?ids={observation}", data
    )
    assert 'lang="en"' in notices and "March 12, 2020" in notices
    assert_english(client, f"/arrivals/observations/print/certificates/?ids={observation}", data)
    assert_english(client, "/arrivals/observations/print/certificates/", data)
    letter = assert_english(client, f"/arrivals/letters/print/?ids={unit}", data)
    assert "Epidemic Prevention and Control Responsibility Letter" in letter
    assert_english(client, "/arrivals/letters/print/", data)
    release_on = dt.date(2020, 3, 12)
    clock.move_to(dt.datetime.combine(release_on, dt.time(0, 10), tzinfo=SH))
    daily_run(on=release_on)
    clock.move_to(dt.datetime.combine(release_on, dt.time(9), tzinfo=SH))
    client = english(world)  # days later: a new session
    released = f"/arrivals/observations/print/certificates/?ids={observation}"
    certificate = assert_english(client, released, data)
    assert "Certificate of Release from Observation" in certificate
    assert_english(client, f"/arrivals/observations/print/notices/?ids={observation}", data)


def test_the_public_pages_read_in_english(world: World, story: Story) -> None:
    data = story.data()
    client = Client()
    client.cookies["django_language"] = "en"
    notice_url = f"/r/notice/{notice_link_token(world.areas[WANPING])}/"
    assert_english(client, notice_url, data)
    assert_english(client, "/r/notice/forged/", data, status=404)
    report_url = f"/r/report/{story.report_token}/"
    form = assert_english(client, report_url, data)
    assert "Temperature report" in form
    done = client.post(report_url, {"temperature": "36.6", "symptoms": ["fatigue"]})
    assert done.status_code == 200
    assert chinese_left(done.content.decode(), data) == []
    assert "Fatigue" in done.content.decode()
    assert_english(client, "/r/report/forged/", data, status=400)


def test_the_same_pages_stay_in_chinese_by_default(world: World, story: Story) -> None:
    client = world.client(world.wanping_worker)
    detail = client.get(f"/arrivals/notices/{story.unit_notice.pk}/").content.decode()
    assert "下一步：" in detail and "疫情防控责任书" in detail
    observation = client.get(f"/arrivals/observations/{story.observation.pk}/").content.decode()
    assert "观察中 · 第 5 / 14 天" in observation
    printed = client.get(
        f"/arrivals/observations/print/notices/?ids={story.observation.pk}"
    ).content.decode()
    assert 'lang="zh-Hans"' in printed and "2020年3月12日" in printed
