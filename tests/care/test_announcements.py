"""Announcements: a community publishes a notice; its residents read it on their phone
pages (self-report, advance notice), a zone's residents too; another community's do not;
a withdrawn notice is gone; the A4 poster carries a QR code of the advance-notice link."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from fangkong.arrivals.notices.selectors import notice_link_token
from fangkong.care.models import Announcement
from fangkong.care.services import announcement_publish, announcement_withdraw
from tests.care.conftest import TODAY, Care
from tests.conftest import WANPING, ZHENGUOSI, World


def _anonymous(world: World):  # type: ignore[no-untyped-def]
    client = world.client(world.admin)
    client.logout()
    return client


def test_residents_read_their_communitys_notices_on_their_phones(world: World, care: Care) -> None:
    notice = announcement_publish(
        actor=care.wang_ying,
        area=world.areas[ZHENGUOSI],
        title="返京人员须知",
        body="到京后居家观察14天，每天上午、下午各报一次体温。",
        phones="社区值班 010-63831234",
    )
    client = _anonymous(world)
    self_report = client.get(f"/r/report/{care.token(care.zhenguosi[0])}/").content.decode()
    assert f'data-announcement="{notice.pk}"' in self_report and "010-63831234" in self_report
    advance = client.get(f"/r/notice/{notice_link_token(world.areas[ZHENGUOSI])}/").content.decode()
    assert f'data-announcement="{notice.pk}"' in advance
    elsewhere = client.get(f"/r/report/{care.token(care.wanping)}/").content.decode()
    assert "data-announcement" not in elsewhere
    wanping_notice = client.get(
        f"/r/notice/{notice_link_token(world.areas[WANPING])}/"
    ).content.decode()
    assert "data-announcement" not in wanping_notice

    announcement_withdraw(actor=world.zhenguosi_worker, announcement=notice)
    again = client.get(f"/r/report/{care.token(care.zhenguosi[0])}/").content.decode()
    assert "data-announcement" not in again


def test_a_zones_residents_read_their_communitys_notice(world: World, care: Care) -> None:
    notice = announcement_publish(
        actor=world.wanping_worker, area=world.areas[WANPING], title="须知", body="出入请出示出入证"
    )
    client = _anonymous(world)
    from fangkong.care.selectors import announcements_shown
    from tests.conftest import WANPING_ZONE

    assert [a.pk for a in announcements_shown(area=world.areas[WANPING_ZONE], on=TODAY)] == [
        notice.pk
    ]
    assert announcements_shown(area=world.areas[ZHENGUOSI], on=TODAY) == []
    assert announcements_shown(area=world.areas[WANPING], on=TODAY - dt.timedelta(days=1)) == []
    assert client.get(f"/r/report/{care.token(care.wanping)}/").status_code == 200


def test_publishing_checks_its_input_and_territory(world: World, care: Care) -> None:
    with pytest.raises(ValidationError) as error:
        announcement_publish(actor=care.wang_ying, area=world.areas[ZHENGUOSI], title="", body="x")
    assert "title" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        announcement_publish(actor=care.wang_ying, area=world.areas[WANPING], title="t", body="x")
    assert "area" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        announcement_publish(
            actor=care.wang_ying, area=world.areas[ZHENGUOSI], title="t", body="x",
            ends_on=TODAY - dt.timedelta(days=1),
        )  # fmt: skip
    assert "ends_on" in error.value.message_dict
    assert Announcement.objects.count() == 0


def test_the_poster_and_the_pages_and_the_api(world: World, care: Care) -> None:
    client = world.client(world.zhenguosi_worker)
    sent = client.post(
        "/care/announcements/new/",
        {
            "area": ZHENGUOSI,
            "title": "服务电话",
            "body": "买药、送菜请打电话",
            "phones": "63831234",
        },
    )
    assert sent.status_code == 302
    notice = Announcement.objects.get()
    listing = client.get("/care/announcements/").content.decode()
    assert f'data-announcement="{notice.pk}"' in listing
    poster = client.get(f"/care/announcements/{notice.pk}/poster/").content.decode()
    assert "<svg" in poster and notice_link_token(world.areas[ZHENGUOSI]) in poster
    other = world.client(world.wanping_worker)
    assert other.get(f"/care/announcements/{notice.pk}/poster/").status_code == 404
    assert (
        f'data-announcement="{notice.pk}"' not in other.get("/care/announcements/").content.decode()
    )
    api = world.api(care.wang_ying)
    made = api.post(
        "/api/v1/care/announcements/",
        {"area": ZHENGUOSI, "title": "须知", "body": "居家观察期间不要外出"},
        format="json",
    )
    assert made.status_code == 201, made.content
    assert (
        api.post(
            "/api/v1/care/announcements/", {"area": ZHENGUOSI, "body": "x"}, format="json"
        ).json()["errors"][0]["field"]
        == "title"
    )
    gone = api.post(f"/api/v1/care/announcements/{made.json()['id']}/withdraw/")
    assert gone.status_code == 200 and gone.json()["withdrawn"] is True
    assert (
        world.api(world.wanping_worker).get("/api/v1/care/announcements/").json()["results"] == []
    )
