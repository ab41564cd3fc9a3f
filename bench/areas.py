"""Subtree of a street: materialised path (ours) against a recursive walk of parent links.

Builds a synthetic district once (50 streets × 40 communities × 5 zones = 12,051 nodes)
and times "all nodes under one street" both ways, warm, side by side."""

from __future__ import annotations

from django.db import connection, transaction

from bench.common import best_of, report


def build() -> None:
    from fangkong.areas.models import Area, AreaKind

    if Area.objects.filter(code="990000").exists():
        return
    with transaction.atomic():
        root = Area.objects.create(
            code="990000", name="基准区", kind=AreaKind.DISTRICT, path="/990000/"
        )
        rows = []
        for s in range(50):
            sc = f"990000{s:03d}"
            rows.append(
                Area(
                    code=sc,
                    name=f"街道{s}",
                    kind=AreaKind.STREET,
                    parent=root,
                    path=f"{root.path}{sc}/",
                    depth=1,
                )
            )
        Area.objects.bulk_create(rows)
        streets = {
            a.code: a for a in Area.objects.filter(kind=AreaKind.STREET, code__startswith="990000")
        }
        rows = []
        for sc, street in streets.items():
            for c in range(40):
                cc = f"{sc}{c:03d}"
                rows.append(
                    Area(
                        code=cc,
                        name=f"社区{c}",
                        kind=AreaKind.COMMUNITY,
                        parent=street,
                        path=f"{street.path}{cc}/",
                        depth=2,
                    )
                )
        Area.objects.bulk_create(rows, batch_size=2000)
        communities = Area.objects.filter(kind=AreaKind.COMMUNITY, code__startswith="990000")
        rows = [
            Area(
                code=f"{c.code}Z{z}",
                name=f"片区{z}",
                kind=AreaKind.ZONE,
                parent=c,
                path=f"{c.path}{c.code}Z{z}/",
                depth=3,
            )
            for c in communities
            for z in range(5)
        ]
        Area.objects.bulk_create(rows, batch_size=5000)


def run() -> None:
    from fangkong.areas.models import Area

    build()
    street = Area.objects.get(code="990000025")

    # Both sides run as raw SQL through the same cursor, so only the query differs.
    path_sql, path_params = (
        Area.objects.subtree_of(street).values_list("id").query.sql_with_params()
    )

    def by_path() -> int:
        with connection.cursor() as cursor:
            cursor.execute(path_sql, path_params)
            return len(cursor.fetchall())

    def by_recursion() -> int:
        with connection.cursor() as cursor:
            cursor.execute(
                """WITH RECURSIVE below(id) AS (
                       SELECT id FROM areas_area WHERE id = %s
                       UNION ALL
                       SELECT a.id FROM areas_area a JOIN below b ON a.parent_id = b.id)
                   SELECT id FROM below""",
                [street.pk],
            )
            return len(cursor.fetchall())

    assert by_path() == by_recursion() == 241
    print(f"  database: {connection.vendor}, {Area.objects.count()} areas")
    report("subtree by path", best_of(by_path), best_of(by_recursion), "recursive CTE")
