"""The care pages and the resident's 我需要帮助 in English: once the data (names, places,
addresses, notes) is taken out, no Chinese is left in the page's own part."""

from __future__ import annotations

from fangkong.care.services import (
    announcement_publish,
    call_record,
    request_close,
    request_raise,
    request_take,
)
from tests.care.conftest import Care
from tests.conftest import World
from tests.english import chinese_left, english, world_data


def test_the_care_pages_are_english(world: World, care: Care) -> None:
    wang = care.wang_ying
    first, second, third = care.zhenguosi
    call_record(actor=wang, observation=first, outcome="needs", needs="x1", request_kind="medicine")
    call_record(actor=wang, observation=second, outcome="no_answer")
    taken = request_raise(actor=wang, observation=second, kind="takeaway", detail="x2")
    request_take(actor=wang, request=taken, volunteer="V1")
    done = request_raise(actor=wang, observation=third, kind="delivery")
    request_close(actor=wang, request=done, done=True)
    failed = request_raise(actor=wang, observation=third, kind="rubbish")
    request_close(actor=wang, request=failed, done=False, outcome="x3")
    notice = announcement_publish(actor=wang, area=third.area, title="T1", body="B1", phones="P1")
    data = [*world_data(world), "3号楼"]
    data += [o.person.masked_name for o in care.zhenguosi] + [
        str(o.address) for o in care.zhenguosi
    ]
    data += [o.person.name for o in care.zhenguosi]
    client = english(world, wang)
    pages = {
        "calls": "/care/",
        "todo": "/care/?todo=1",
        "household": f"/care/households/{first.pk}/",
        **{
            state: f"/care/requests/?state={state}"
            for state in ("open", "overdue", "mine", "done", "failed")
        },
        "self-report": f"/r/report/{care.token(third)}/?help=1",
        "announcements": "/care/announcements/",
        "poster": f"/care/announcements/{notice.pk}/poster/",
    }
    left = {}
    for name, url in pages.items():
        response = client.get(url)
        assert response.status_code == 200, name
        left[name] = chinese_left(response.content.decode(), data)
    refused = client.post(f"/r/help/{care.token(third)}/", {"kind": "other"})
    assert (
        refused.status_code == 400 and "Please say what help you need" in refused.content.decode()
    )
    left["refused"] = chinese_left(refused.content.decode(), data)
    assert not any(left.values()), {k: v for k, v in left.items() if v}
    answer = world.api(wang).post(
        "/api/v1/care/calls/",
        {"observation": first.pk, "outcome": "no_answer", "request_kind": "other"},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "not answered" in answer.json()["errors"][0]["reason"]
