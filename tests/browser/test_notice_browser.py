from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.core.cache import cache
from django.utils import timezone

from fangkong.arrivals.models import (
    CHECKLISTS,
    ArrivalNotice,
    FiledBy,
    NoticeStatus,
    ObservationMode,
)
from fangkong.arrivals.notices.selectors import notice_link_token, notice_reference
from fangkong.arrivals.notices.services import notice_file
from fangkong.policy.services import policy_seed_2020
from fangkong.registry.models import Person
from fangkong.units.models import Unit, UnitKind
from tests.browser.conftest import ARTIFACTS, screenshot
from tests.conftest import PASSWORD, WANPING, World
from tests.factories import valid_id

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def login(page: Any, url: str, username: str) -> None:
    page.goto(f"{url}/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{url}/")


def test_a_landlord_files_on_a_phone_and_the_worker_confirms(
    world: World, live_server: Any, phone: Any
) -> None:
    policy_seed_2020()  # transactional tests flush the seeded policy
    cache.clear()  # the public page's rate limit lives in the cache
    token = notice_link_token(world.areas[WANPING])
    number = valid_id(730, region="130602")

    phone.goto(f"{live_server.url}/r/notice/{token}/")
    assert phone.get_by_text("社区工作人员会打电话和您核实").is_visible()
    screenshot(phone, "notice-public-375")
    phone.get_by_label("房东", exact=True).check()
    phone.get_by_label("报备人姓名").fill("房东老王")
    phone.get_by_label("报备人电话").fill("13800001111")
    phone.get_by_label("姓名", exact=True).fill("租户小李")
    phone.get_by_label("证件号码", exact=True).fill(number)
    phone.get_by_label("手机号", exact=True).fill("13900007301")
    # One more row appears on a tap; left blank, it is not a person.
    phone.get_by_role("button", name="＋ 再添加一人").click()
    assert phone.locator("[data-person-row]").count() == 2
    phone.get_by_label("从哪里返京").select_option(label="河北省")
    planned = timezone.localdate() + dt.timedelta(days=3)
    phone.get_by_label("计划到京日期").fill(planned.isoformat())
    phone.get_by_label("片区", exact=True).select_option(label="城内街")
    phone.get_by_label("楼栋 / 院").fill("城内街12号院")
    phone.get_by_label("房间").fill("西厢房")
    screenshot(phone, "notice-public-filled-375")
    phone.get_by_role("button", name="提交报备").click()
    phone.wait_for_selector("text=已提交，等待社区电话确认")
    reference = phone.locator("[data-reference]").inner_text()
    notice = ArrivalNotice.objects.get()
    assert reference == notice_reference(notice)
    assert notice.status == NoticeStatus.PENDING
    screenshot(phone, "notice-public-done-375")
    assert phone.console_errors == []

    login(phone, live_server.url, "wanping_worker")
    phone.goto(f"{live_server.url}/arrivals/notices/")
    assert phone.locator('[data-status="pending"]').inner_text() == "待社区确认 1"
    screenshot(phone, "notice-list-375")
    phone.get_by_role("link", name="河北省 → 城内街").click()
    assert phone.get_by_text("请电话联系报备人房东老王").is_visible()
    assert number not in phone.content()
    screenshot(phone, "notice-detail-pending-375")
    phone.get_by_role("button", name="已电话核实，确认报备").click()
    phone.wait_for_selector("text=已确认：待核查观察条件")
    assert phone.locator("[data-status]").first.inner_text() == "待核查观察条件"
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.INSPECTION
    assert Person.objects.get().name == "租户小李"
    screenshot(phone, "notice-detail-confirmed-375")
    assert phone.console_errors == []


def test_the_site_inspection_and_letters_on_a_phone_and_on_paper(
    world: World, live_server: Any, phone: Any, tmp_path: Any
) -> None:
    policy_seed_2020()
    site = Unit.objects.create(
        area=world.areas[WANPING],
        name="地铁16号线施工项目部",
        kind=UnitKind.CONSTRUCTION_SITE,
        contact_name="王经理",
    )
    filed = [
        notice_file(
            actor=world.wanping_worker,
            area=world.areas[WANPING],
            filed_by=FiledBy.EMPLOYER,
            filer_name="王经理",
            origin_code="410000",
            origin_name="河南省信阳市",
            planned_on=timezone.localdate() + dt.timedelta(days=7),
            mode=ObservationMode.UNIT,
            unit=site,
            people=[
                {"name": f"工人{i}", "document_number": valid_id(740 + 10 * n + i, region="411502")}
                for i in range(6 if n == 0 else 2)
            ],
        )
        for n in range(2)
    ]
    login(phone, live_server.url, "wanping_worker")
    phone.goto(f"{live_server.url}/arrivals/notices/{filed[0].pk}/inspection/")
    for label in CHECKLISTS[ObservationMode.UNIT].values():
        phone.get_by_label(label).check()
    for i, name in enumerate(["张建国", "刘芳", "赵强", "孙丽", "周明"]):
        phone.get_by_label(f"第 {i + 1} 位姓名").fill(name)
    screenshot(phone, "inspection-unit-form-375")
    phone.get_by_role("button", name="保存核查结果").click()
    phone.wait_for_selector("text=核查结论：符合")
    assert phone.get_by_text("管片民警 赵强").is_visible()
    phone.get_by_role("link", name="记录责任书签订").click()
    phone.get_by_label("单位负责人").fill("王经理")
    phone.get_by_label("社区负责人").fill("冯佳")
    phone.get_by_role("button", name="保存").click()
    phone.wait_for_selector("text=已安排 2 次不定期抽查")
    assert phone.locator('[data-status="ready"]').is_visible()
    screenshot(phone, "notice-detail-unit-ready-375")

    phone.goto(f"{live_server.url}/arrivals/letters/print/?ids={filed[0].pk},{filed[1].pk}")
    assert phone.locator("[data-letter]").count() == 2
    screenshot(phone, "letter-print-375")
    pdf = tmp_path / "letters.pdf"
    phone.pdf(path=str(pdf), format="A4", print_background=True)
    (ARTIFACTS / "letters-a4.pdf").write_bytes(pdf.read_bytes())
    # One A4 page per letter: the print stylesheet breaks the page between them.
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf.read_bytes())) == 2
    phone.set_viewport_size({"width": 794, "height": 1123})  # A4 at 96 dpi
    phone.emulate_media(media="print")
    screenshot(phone, "letter-print-a4")
    phone.emulate_media(media="screen")
    phone.set_viewport_size({"width": 375, "height": 740})

    phone.goto(f"{live_server.url}/arrivals/notices/link/")
    assert phone.locator("[data-qr] svg").is_visible()
    screenshot(phone, "notice-link-qr-375")
    assert phone.console_errors == []
