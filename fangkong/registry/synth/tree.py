"""The synthetic district's area tree: streets, communities and their zones under a
district coded 99xxxx (no province has the code 99, so it never meets a real one)."""

from __future__ import annotations

from collections.abc import Callable

from django.utils import timezone

from fangkong.areas.models import Area, AreaKind
from fangkong.areas.services import areas_create_many

COMMUNITIES_PER_STREET = 16
ZONE_NAMES = ("东片区", "西片区", "南片区", "北片区", "中片区")


def synth_tree(
    *, district: str, communities: int, zones_per: int, log: Callable[[str], None]
) -> list[Area]:
    """The synthetic tree; missing nodes are created, existing ones kept. Returns the
    zones of communities 1…M."""
    today = timezone.localdate()
    root = Area.objects.filter(code=district).first()
    wanted: list[tuple[str, str, str, str | None]] = []  # code, name, kind, parent
    if root is None:
        wanted.append((district, f"合成区{district[2:]}", AreaKind.DISTRICT, None))
    zone_codes: list[str] = []
    for c in range(communities):
        street_no, local = divmod(c, COMMUNITIES_PER_STREET)
        street = f"{district}{street_no + 1:03d}"
        if local == 0:
            wanted.append((street, f"合成第{street_no + 1}街道", AreaKind.STREET, district))
        community = f"{street}{local + 1:03d}"
        wanted.append((community, f"合成{c + 1}社区", AreaKind.COMMUNITY, street))
        for z in range(zones_per):
            zone = f"{community}Z{z + 1}"
            wanted.append((zone, ZONE_NAMES[z], AreaKind.ZONE, community))
            zone_codes.append(zone)
    existing = set(
        Area.objects.filter(path__startswith=f"/{district}/").values_list("code", flat=True)
    )
    missing = [w for w in wanted if w[0] not in existing]
    areas_create_many(nodes=missing, is_demo=True, effective_on=today, note="fangkong synth")
    if missing:
        log(f"tree: {len(missing):,} areas created under {district}")
    zones = {
        a.code: a for a in Area.objects.filter(path__startswith=f"/{district}/", kind=AreaKind.ZONE)
    }
    return [zones[code] for code in zone_codes]
