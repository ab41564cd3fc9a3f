"""The quality pages in English: once the data (units, products, batch numbers, areas) is
taken out, no Chinese is left in the page's own part; the API's errors read in English."""

from __future__ import annotations

from django.utils import timezone

from fangkong.quality.services import batch_inspect, batch_pack, batch_register
from tests.conftest import World
from tests.english import chinese_left, english, world_data
from tests.quality.conftest import Line


def test_the_quality_pages_are_english(world: World, line: Line) -> None:
    today = timezone.localdate()
    packed = batch_register(
        actor=line.contact, product=line.masks, code="E-1", lot_size=1200, produced_on=today
    )
    batch_inspect(
        actor=line.contact, batch=packed, inspected=80,
        defects=[{"kind": "loop_strength", "count": 1, "lowest_strength_n": "8"}],
    )  # fmt: skip
    batch_pack(actor=line.contact, batch=packed, counted=1200, per_box=50)
    waiting = batch_register(
        actor=line.contact, product=line.masks, code="E-2", lot_size=5, produced_on=today
    )
    data = [*world_data(world), line.factory.name, line.masks.name, line.masks.spec]
    data += [line.other_factory.name]
    client = english(world, line.contact)
    left = {}
    for name, url in {
        "list": "/quality/",
        "plan": "/quality/?lot_size=5&aql=0.65",
        "packed": f"/quality/batches/{packed.pk}/",
        "waiting": f"/quality/batches/{waiting.pk}/",
    }.items():
        response = client.get(url)
        assert response.status_code == 200, name
        left[name] = chinese_left(response.content.decode(), data)
    refused = client.post(f"/quality/batches/{waiting.pk}/inspect/", {"inspected": "1"})
    assert refused.status_code == 400 and "sampling plan inspects 5" in refused.content.decode()
    left["refused"] = chinese_left(refused.content.decode(), data)
    assert not any(left.values()), {k: v for k, v in left.items() if v}
    answer = world.api(line.contact).get(
        "/api/v1/quality/sampling-plan/", {"lot_size": 100, "aql": "3"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert answer.json()["errors"][0]["reason"] == "Table 2-A of GB/T 2828.1 has no such AQL"
