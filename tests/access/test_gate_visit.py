"""The guard's visitor / delivery page (访客 / 快递外卖) on the phone: the kind as two
buttons with their labels, the guard's own post chosen, the reasons of the chosen kind, and
an empty form for the next one after a registration."""

from __future__ import annotations

import json
import re
from typing import Any

from fangkong.access.models import Visit
from fangkong.access.services import gate_create
from tests.access.conftest import CHENGNEI, Post

PAGE = "/access/gate/visit/"


def register(post: Post, **fields: Any) -> Any:
    data = {
        "gate": post.gate.pk,
        "kind": "visitor",
        "reason": "repair",
        "name": "自来水公司维修工",
        "temperature": "36.5",
        **fields,
    }
    return post.world.client(post.world.guard).post(PAGE, data)


def options(page: str, select: str) -> list[tuple[str, str]]:
    found = re.search(rf'<select name="{select}".*?</select>', page, re.S)
    assert found is not None, select
    return re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', found.group())


def test_it_shows_the_kind_as_two_labelled_choices(post: Post) -> None:
    page = post.world.client(post.world.guard).get(PAGE).content.decode()
    for value, label in (("visitor", "访客"), ("delivery", "快递外卖")):
        # The radio inside its label, the text right after it: one tap target per choice.
        radio = rf'<label for="id_kind_\d">\s*<input type="radio" name="kind" value="{value}"'
        assert re.search(rf"{radio}[^>]*>\s*<span>{label}</span></label>", page), label
    assert re.search(r'<input type="radio" name="kind" value="visitor"[^>]* checked', page)
    assert "<legend>类型</legend>" in page


def test_the_guards_only_post_is_chosen_and_several_are_asked_for(post: Post) -> None:
    client = post.world.client(post.world.guard)
    page = client.get(PAGE).content.decode()
    assert options(page, "gate") == [(str(post.gate.pk), "城内街东门")]
    assert re.search(rf'<option value="{post.gate.pk}" selected>', page)
    gate_create(actor=post.world.wanping_worker, area=post.world.areas[CHENGNEI], name="城内街西门")
    page = client.get(PAGE).content.decode()
    assert options(page, "gate")[0] == ("", "请选择门岗")
    assert "---------" not in page
    response = register(post, gate="")
    assert "请选择门岗" in response.content.decode() and not Visit.objects.exists()


def test_the_reasons_listed_fit_the_kind_chosen(post: Post) -> None:
    page = post.world.client(post.world.guard).get(PAGE).content.decode()
    reasons = [label for _value, label in options(page, "reason")]
    assert reasons[0] == "公务" and "快递" not in reasons  # a visitor's reasons
    # … and the page has a delivery's to swap in when 快递外卖 is tapped.
    script = re.search(r'<script id="visit-reasons" type="application/json">(.*?)</script>', page)
    assert script is not None
    swapped = json.loads(script.group(1))["delivery"]
    assert [label for _value, label in swapped] == ["快递", "外卖", "生活物资配送", "其他"]


def test_a_delivery_with_a_visitors_reason_is_told_which_reasons_fit(post: Post) -> None:
    response = register(post, kind="delivery", reason="official", name="顺丰快递员")
    assert response.status_code == 200 and not Visit.objects.exists()
    page = response.content.decode()
    error = "事由“公务”不适用于快递外卖，请选：快递、外卖、生活物资配送、其他"
    assert f'data-error-for="reason">{error}<' in page
    # Shown again with a delivery's reasons, the 公务 the guard saw no longer among them.
    assert [label for _value, label in options(page, "reason")] == [
        "快递",
        "外卖",
        "生活物资配送",
        "其他",
    ]
    response = register(post, kind="delivery", reason="parcel", name="顺丰快递员")
    assert response.status_code == 302 and Visit.objects.get().reason == "parcel"


def test_after_a_registration_the_form_is_empty_for_the_next_one(post: Post) -> None:
    response = register(post, phone="13812345678", temperature="36,6")
    visit = Visit.objects.get()
    assert (visit.name, str(visit.temperature)) == ("自来水公司维修工", "36.6")
    assert response.status_code == 302
    assert response.url == f"{PAGE}?visit={visit.pk}"
    page = post.world.client(post.world.guard).get(response.url).content.decode()
    assert '<div class="res admit" role="alert" id="decision">准予进入' in page
    assert "自来水公司维修工 · 维修抢修" in page
    assert not re.search(r'<input [^>]*name="(name|temperature|phone)"[^>]* value=', page)
    assert re.search(rf'<option value="{post.gate.pk}" selected>', page)


def test_a_temperature_that_is_no_number_is_named(post: Post) -> None:
    page = register(post, temperature="abc").content.decode()
    assert 'data-error-for="temperature">体温“abc”不是数字，请填写如 36.5<' in page
    assert not Visit.objects.exists()


def test_a_visit_shown_is_one_of_the_guards_area_and_a_bad_one_is_ignored(post: Post) -> None:
    register(post)
    visit = Visit.objects.get()
    client = post.world.client(post.world.guard)
    for bad in ("abc", "9" * 40, "-1", str(visit.pk + 1)):
        response = client.get(PAGE, {"visit": bad})
        assert response.status_code == 200 and 'id="decision"' not in response.content.decode()
    other = post.world.client(post.world.zhenguosi_worker).get(PAGE, {"visit": visit.pk})
    assert other.status_code == 200 and "自来水公司维修工" not in other.content.decode()
