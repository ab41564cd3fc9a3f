"""The quality pages: the plan calculator, a batch registered, inspected and packed on a
phone, errors on the form naming the field, other communities' batches out of sight."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from fangkong.quality.models import Batch, BatchStatus
from fangkong.quality.services import batch_register
from tests.conftest import World
from tests.quality.conftest import Line


def test_the_plan_calculator_shows_the_plan(world: World, line: Line) -> None:
    page = world.client(line.contact).get(
        "/quality/", {"lot_size": "1200", "aql": "2.5", "level": "II"}
    )
    html = page.content.decode()
    assert page.status_code == 200 and 'data-plan="J"' in html
    arrow = world.client(line.contact).get("/quality/", {"lot_size": "5", "aql": "0.65"})
    assert 'data-plan="F"' in arrow.content.decode()
    bad = world.client(line.contact).get("/quality/", {"lot_size": "1", "aql": "2.5"})
    assert 'data-error-for="lot_size"' in bad.content.decode()


def test_register_inspect_and_pack_a_batch_on_the_pages(world: World, line: Line) -> None:
    client = world.client(line.contact)
    made = client.post(
        "/quality/batches/new/",
        {"product": line.masks.pk, "code": "P1", "lot_size": "1200",
         "produced_on": timezone.localdate().isoformat()},
    )  # fmt: skip
    assert made.status_code == 302
    batch = Batch.objects.get(code="P1")
    url = f"/quality/batches/{batch.pk}/"
    assert client.get(url).status_code == 200
    weak = client.post(
        url + "inspect/",
        {"inspected": "80", "defect_loop_strength": "2", "lowest_strength_n": ""},
    )
    assert weak.status_code == 400
    assert 'data-error-for="lowest_strength_n"' in weak.content.decode()
    wrong = client.post(url + "inspect/", {"inspected": "50"})
    assert 'data-error-for="inspected"' in wrong.content.decode()
    done = client.post(
        url + "inspect/",
        {"inspected": "80", "defect_loop_strength": "2", "lowest_strength_n": "8.5",
         "defect_nose_clip": "1"},
    )  # fmt: skip
    assert done.status_code == 302
    batch.refresh_from_db()
    assert batch.status == BatchStatus.ACCEPTED
    packed = client.post(url + "pack/", {"counted": "1200", "per_box": "50"})
    assert packed.status_code == 302
    assert 'id="packed"' in client.get(url).content.decode()


def test_another_community_sees_none_of_the_batches(world: World, line: Line) -> None:
    batch = batch_register(
        actor=line.contact, product=line.masks, code="W-1", lot_size=500,
        produced_on=timezone.localdate() - dt.timedelta(days=1),
    )  # fmt: skip
    other = world.client(world.zhenguosi_worker)
    assert "W-1" not in other.get("/quality/").content.decode()
    assert other.get(f"/quality/batches/{batch.pk}/").status_code == 404
    assert "W-1" in world.client(world.wanping_officer).get("/quality/").content.decode()
