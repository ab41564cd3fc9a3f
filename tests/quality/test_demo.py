"""The demo mask line: batches packed, accepted, rejected and waiting; run twice, the same."""

from __future__ import annotations

from fangkong.quality.demo import load_demo
from fangkong.quality.models import Batch, BatchStatus
from tests.conftest import World


def test_the_demo_mask_line(world: World) -> None:
    assert "4 batches" in load_demo()
    statuses = sorted(Batch.objects.values_list("status", flat=True))
    assert statuses == sorted(
        [BatchStatus.PACKED, BatchStatus.ACCEPTED, BatchStatus.REJECTED, BatchStatus.REGISTERED]
    )
    load_demo()
    assert Batch.objects.count() == 4
