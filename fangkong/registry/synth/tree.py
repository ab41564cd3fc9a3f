"""The synthetic district's area tree: streets, communities and their zones under a
district coded 99xxxx (no province has the code 99, so it never meets a real one)."""

from __future__ import annotations

from collections.abc import Callable

from django.utils import timezone

from fangkong.areas.models import Area, AreaChange, AreaChangeKind, AreaKind

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
    # Level by level: a node's parent exists before the node.
    for level in (AreaKind.DISTRICT, AreaKind.STREET, AreaKind.COMMUNITY, AreaKind.ZONE):
        batch = [w for w in missing if w[2] == level]
        if not batch:
            continue
        parents = {a.code: a for a in Area.objects.filter(code__in={w[3] for w in batch if w[3]})}
        new = []
        for code, name, kind, parent_code in batch:
            parent = parents.get(parent_code) if parent_code else None
            new.append(
                Area(
                    code=code,
                    name=name,
                    kind=kind,
                    parent=parent,
                    is_demo=True,
                    path=f"{parent.path if parent else '/'}{code}/",
                    depth=parent.depth + 1 if parent else 0,
                )
            )
        Area.objects.bulk_create(new, batch_size=1000)
        ids = dict(Area.objects.filter(code__in=[a.code for a in new]).values_list("code", "id"))
        AreaChange.objects.bulk_create(
            [
                AreaChange(
                    area_id=ids[a.code],
                    kind=AreaChangeKind.CREATED,
                    effective_on=today,
                    new_name=a.name,
                    new_parent_code=a.parent.code if a.parent else "",
                    note="fangkong synth",
                )
                for a in new
            ],
            batch_size=1000,
        )
    if missing:
        log(f"tree: {len(missing):,} areas created under {district}")
    zones = {
        a.code: a for a in Area.objects.filter(path__startswith=f"/{district}/", kind=AreaKind.ZONE)
    }
    return [zones[code] for code in zone_codes]
