"""The area pages: the trail above an area links only to pages the account may open."""

from __future__ import annotations

import re

from tests.conftest import WANPING, WANPING_ZONE, World


def _trail_links(page: str) -> list[str]:
    trail = page.split('<ol class="breadcrumb', 1)[1].split("</ol>", 1)[0]
    return re.findall(r'href="(/areas/[^"]+/)"', trail)


def test_every_link_of_the_trail_opens(world: World) -> None:
    for user, code in (
        (world.guard, WANPING_ZONE),
        (world.wanping_worker, WANPING_ZONE),
        (world.wanping_officer, WANPING),
        (world.district_officer, WANPING_ZONE),
    ):
        client = world.client(user)
        page = client.get(f"/areas/{code}/")
        assert page.status_code == 200, user.username
        text = page.content.decode()
        assert "丰台区" in text and "宛平城地区" in text  # named even when not linked
        for link in _trail_links(text):
            assert client.get(link).status_code == 200, (user.username, link)
    # The district officer walks the whole trail; the community worker only their own.
    officer = world.client(world.district_officer).get(f"/areas/{WANPING_ZONE}/")
    assert len(_trail_links(officer.content.decode())) == 3  # 丰台区, 宛平城地区, 宛平城社区
    worker = world.client(world.wanping_worker).get(f"/areas/{WANPING_ZONE}/")
    assert _trail_links(worker.content.decode()) == [f"/areas/{WANPING}/"]
