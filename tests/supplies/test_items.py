"""The district's list of supplies: a street or district officer adds an item (page and
API) and stops offering one; community workers may not; bad input names the field."""

from __future__ import annotations

from fangkong.audit.models import AuditEvent
from fangkong.supplies.forms import ReceiptForm
from fangkong.supplies.models import Item
from tests.conftest import World
from tests.supplies.conftest import Stock


def test_an_officer_adds_an_item_and_stops_one_over_the_api(world: World, stock: Stock) -> None:
    api = world.api(world.district_officer)
    answer = api.post(
        "/api/v1/supplies/items/", {"name": " 电子 体温枪 ", "unit": "把"}, format="json"
    )
    assert answer.status_code == 201, answer.content
    assert (answer.json()["name"], answer.json()["unit"]) == ("电子 体温枪", "把")
    item = Item.objects.get(name="电子 体温枪")
    assert AuditEvent.objects.filter(object_id=str(item.pk), detail__contains="体温枪").exists()
    again = api.post(
        "/api/v1/supplies/items/", {"name": "电子 体温枪", "unit": "把"}, format="json"
    )
    assert (again.status_code, again.json()["errors"][0]["field"]) == (409, "name")

    answer = api.patch(
        f"/api/v1/supplies/items/{stock.suits.pk}/", {"active": False}, format="json"
    )
    assert (answer.status_code, answer.json()["active"]) == (200, False)
    form = ReceiptForm(user=world.wanping_worker, store=stock.wanping)
    choices = [c for _value, c in form.fields["item"].choices]
    assert not any("防护服" in str(c) for c in choices)
    assert any("体温枪" in str(c) for c in choices)


def test_bad_input_names_the_field(world: World, stock: Stock) -> None:
    api = world.api(world.district_officer)
    for body, field in (
        ({"name": "  ", "unit": "把"}, "name"),
        ({"name": "护目镜", "unit": ""}, "unit"),
        ({"name": "护目镜"}, "unit"),
        ({"name": "护" * 41, "unit": "副"}, "name"),
    ):
        answer = api.post("/api/v1/supplies/items/", body, format="json")
        assert (answer.status_code, answer.json()["errors"][0]["field"]) == (400, field), body
    assert not Item.objects.filter(name__startswith="护目").exists()
    answer = api.patch("/api/v1/supplies/items/999999/", {"active": False}, format="json")
    assert answer.status_code == 404


def test_a_community_worker_may_not_change_the_list(world: World, stock: Stock) -> None:
    api = world.api(world.wanping_worker)
    answer = api.post("/api/v1/supplies/items/", {"name": "护目镜", "unit": "副"}, format="json")
    assert answer.status_code == 403
    answer = api.patch(
        f"/api/v1/supplies/items/{stock.masks.pk}/", {"active": False}, format="json"
    )
    assert answer.status_code == 403
    page = world.client(world.wanping_worker).get("/supplies/").content.decode()
    assert 'id="items"' not in page
    assert world.client(world.wanping_worker).post("/supplies/items/new/").status_code == 403


def test_the_stock_page_adds_and_stops_items(world: World, stock: Stock) -> None:
    client = world.client(world.wanping_officer)
    page = client.get("/supplies/").content.decode()
    assert 'id="items"' in page and f'data-item="{stock.masks.pk}"' in page
    answer = client.post("/supplies/items/new/", {"name": "护目镜", "unit": "副"}, follow=True)
    assert "已新增物资 护目镜" in answer.content.decode()
    client.post(f"/supplies/items/{stock.gloves.pk}/active/", {"active": "0"})
    assert not Item.objects.get(pk=stock.gloves.pk).active
    answer = client.post("/supplies/items/new/", {"name": "", "unit": "副"}, follow=True)
    assert "请填写物资名称" in answer.content.decode()
