"""Batches, their sampling inspection and packing through the services: the plan fixed
at registration, the decision from Ac / Re, defects by kind, refusals naming the field
with nothing written."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from fangkong.core.errors import Conflict
from fangkong.quality.models import Batch, BatchStatus, Decision, Inspection
from fangkong.quality.services import batch_inspect, batch_pack, batch_register, product_create
from tests.conftest import World
from tests.quality.conftest import Line


def _batch(line: Line, code: str = "K0302-01", lot: int = 1200) -> Batch:
    return batch_register(
        actor=line.contact, product=line.masks, code=code, lot_size=lot,
        produced_on=timezone.localdate() - dt.timedelta(days=1),
    )  # fmt: skip


def _field(caught: pytest.ExceptionInfo[ValidationError]) -> list[str]:
    return list(caught.value.message_dict)


def test_a_batch_gets_its_plan_from_the_product(world: World, line: Line) -> None:
    batch = _batch(line)
    assert (batch.lot_code_letter, batch.sample_size, batch.accept, batch.reject) == (
        "J", 80, 5, 6,
    )  # fmt: skip
    assert batch.status == BatchStatus.REGISTERED


def test_ac_or_fewer_accepts_and_re_rejects(world: World, line: Line) -> None:
    good = _batch(line, "A")
    inspection = batch_inspect(
        actor=line.contact, batch=good, inspected=80,
        defects=[{"kind": "loop_asymmetric", "count": 3}, {"kind": "nose_clip", "count": 2}],
    )  # fmt: skip
    assert inspection.decision == Decision.ACCEPT and inspection.nonconforming == 5
    bad = _batch(line, "B")
    inspection = batch_inspect(
        actor=line.contact, batch=bad, inspected=80,
        defects=[
            {"kind": "loop_strength", "count": 4, "lowest_strength_n": "7.8"},
            {"kind": "loop_asymmetric", "count": 2},
        ],
    )  # fmt: skip
    assert inspection.decision == Decision.REJECT and inspection.nonconforming == 6
    bad.refresh_from_db()
    assert bad.status == BatchStatus.REJECTED
    assert inspection.defects.get(kind="loop_strength").lowest_strength_n == Decimal("7.8")


def test_the_sample_must_be_the_plans(world: World, line: Line) -> None:
    batch = _batch(line)
    with pytest.raises(ValidationError) as caught:
        batch_inspect(actor=line.contact, batch=batch, inspected=50, defects=[])
    assert _field(caught) == ["inspected"]
    assert not Inspection.objects.exists()


def test_a_weak_loop_is_below_the_products_minimum(world: World, line: Line) -> None:
    batch = _batch(line)
    for strength, code in ((None, "required"), ("10", "not_below_minimum"), ("x", "invalid")):
        with pytest.raises(ValidationError) as caught:
            batch_inspect(
                actor=line.contact, batch=batch, inspected=80,
                defects=[{"kind": "loop_strength", "count": 1, "lowest_strength_n": strength}],
            )  # fmt: skip
        assert _field(caught) == ["defects.0.lowest_strength_n"]
        assert caught.value.error_dict["defects.0.lowest_strength_n"][0].code == code
    with pytest.raises(ValidationError) as caught:
        batch_inspect(
            actor=line.contact, batch=batch, inspected=80,
            defects=[{"kind": "loop_asymmetric", "count": 81}],
        )  # fmt: skip
    assert _field(caught) == ["defects"]
    assert not Inspection.objects.exists()
    batch.refresh_from_db()
    assert batch.status == BatchStatus.REGISTERED


def test_a_batch_is_inspected_once_and_packed_only_when_accepted(world: World, line: Line) -> None:
    batch = _batch(line, lot=1000)
    batch_inspect(actor=line.contact, batch=batch, inspected=80, defects=[])
    with pytest.raises(Conflict):
        batch_inspect(actor=line.contact, batch=batch, inspected=80, defects=[])
    with pytest.raises(ValidationError) as caught:
        batch_pack(actor=line.contact, batch=batch, counted=1001, per_box=50)
    assert _field(caught) == ["counted"]
    packed = batch_pack(actor=line.contact, batch=batch, counted=998, per_box=50)
    assert (packed.status, packed.boxes) == (BatchStatus.PACKED, 20)
    rejected = _batch(line, "R")
    batch_inspect(
        actor=line.contact, batch=rejected, inspected=80,
        defects=[{"kind": "nose_clip", "count": 6}],
    )  # fmt: skip
    with pytest.raises(Conflict) as refused:
        batch_pack(actor=line.contact, batch=rejected, counted=100, per_box=50)
    assert refused.value.field == "batch"


def test_bad_batches_and_products_name_the_field(world: World, line: Line) -> None:
    with pytest.raises(ValidationError) as caught:
        _batch(line, lot=1)
    assert _field(caught) == ["lot_size"]
    with pytest.raises(ValidationError) as caught:
        batch_register(
            actor=line.contact, product=line.masks, code="F", lot_size=100,
            produced_on=timezone.localdate() + dt.timedelta(days=1),
        )  # fmt: skip
    assert _field(caught) == ["produced_on"]
    _batch(line, "SAME")
    with pytest.raises(Conflict) as duplicate:
        _batch(line, "SAME")
    assert duplicate.value.field == "code"
    with pytest.raises(ValidationError) as caught:
        product_create(actor=line.contact, unit=line.factory, name="N95", aql="3")
    assert _field(caught) == ["aql"]
    with pytest.raises(ValidationError) as caught:
        product_create(actor=line.contact, unit=line.factory, name="N95", level="S-1")
    assert _field(caught) == ["level"]


def test_another_communitys_account_cannot_touch_the_line(world: World, line: Line) -> None:
    with pytest.raises(ValidationError) as caught:
        batch_register(
            actor=world.zhenguosi_worker, product=line.masks, code="X", lot_size=100,
            produced_on=timezone.localdate(),
        )  # fmt: skip
    assert _field(caught) == ["product"]
    with pytest.raises(ValidationError):
        product_create(actor=world.zhenguosi_worker, unit=line.factory, name="N95")
