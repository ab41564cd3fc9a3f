from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from fangkong.areas.models import Area, AreaChangeKind, AreaKind
from fangkong.areas.services import area_create, area_merge, area_move, area_rename
from tests.conftest import WANPING, WANPING_STREET, ZHENGUOSI, World


def codes(qs: object) -> set[str]:
    return {a.code for a in qs}  # type: ignore[attr-defined]


def test_it_finds_a_subtree_by_path(world: World) -> None:
    street = world.areas[WANPING_STREET]
    below = codes(Area.objects.subtree_of(street))
    assert below == {
        WANPING_STREET,
        WANPING,
        f"{WANPING}Z1",
        f"{WANPING}Z2",
        f"{WANPING}Z3",
        "110106014201",
        "110106014202",
    }
    assert ZHENGUOSI not in below


def test_it_uses_an_index_for_subtree_queries(world: World) -> None:
    from django.db import connection

    sql, params = Area.objects.subtree_of(world.areas[WANPING_STREET]).query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET enable_seqscan = off")
            cursor.execute("EXPLAIN " + sql, params)
            plan = " ".join(row[0] for row in cursor.fetchall())
            cursor.execute("SET enable_seqscan = on")
            assert "Index" in plan and "path" in plan
        else:
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
            plan = " ".join(str(row[-1]) for row in cursor.fetchall())
            assert "INDEX" in plan.upper()


def test_it_refuses_an_unknown_kind_and_wrong_level(world: World) -> None:
    with pytest.raises(ValidationError) as err:
        area_create(code="X1", name="x", kind="planet", parent=world.areas[WANPING])
    assert "kind" in err.value.message_dict
    with pytest.raises(ValidationError) as err:
        area_create(code="X2", name="某街道", kind=AreaKind.STREET, parent=world.areas[WANPING])
    assert "parent" in err.value.message_dict
    with pytest.raises(ValidationError) as err:
        area_create(code="X3", name="某社区", kind=AreaKind.COMMUNITY, parent=None)
    assert "parent" in err.value.message_dict


def test_it_refuses_a_duplicate_or_malformed_code(world: World) -> None:
    with pytest.raises(ValidationError) as err:
        area_create(code=WANPING, name="重复", kind=AreaKind.ZONE, parent=world.areas[WANPING])
    assert "code" in err.value.message_dict
    with pytest.raises(ValidationError) as err:
        area_create(code="a b/", name="坏", kind=AreaKind.ZONE, parent=world.areas[WANPING])
    assert "code" in err.value.message_dict


def test_it_refuses_a_cycle(world: World) -> None:
    street = world.areas[WANPING_STREET]
    with pytest.raises(ValidationError) as err:
        area_move(area=street, parent=world.areas[WANPING])
    assert err.value.message_dict["parent"][0].startswith("不能把区域移到它自己")
    with pytest.raises(ValidationError):
        area_move(area=street, parent=street)
    street.refresh_from_db()
    assert street.parent.code == "110106"


def test_it_moves_a_subtree_and_rewrites_paths(world: World) -> None:
    community = world.areas[WANPING]
    area_move(area=community, parent=world.areas["110106015"], effective_on=dt.date(2021, 1, 1))
    zone = Area.objects.get(code=f"{WANPING}Z1")
    assert zone.path == f"/110106/110106015/{WANPING}/{WANPING}Z1/"
    assert zone.depth == 3
    assert community.changes.filter(
        kind=AreaChangeKind.MOVED, old_parent_code=WANPING_STREET
    ).exists()


def test_a_renamed_area_keeps_its_history(world: World) -> None:
    street = area_rename(
        area=world.areas[WANPING_STREET],
        name="宛平街道",
        kind=AreaKind.STREET,
        effective_on=dt.date(2021, 3, 1),
    )
    assert street.name == "宛平街道" and street.kind == AreaKind.STREET
    change = street.changes.get(kind=AreaChangeKind.RENAMED)
    assert (change.old_name, change.new_name) == ("宛平城地区", "宛平街道")
    assert change.effective_on == dt.date(2021, 3, 1)


def test_a_merged_area_is_retired_and_its_children_move(world: World) -> None:
    township = world.areas["110106200"]  # 卢沟桥乡
    into = area_create(
        code="110106017", name="卢沟桥街道", kind=AreaKind.STREET, parent=world.areas["110106"]
    )
    area_merge(area=township, into=into, effective_on=dt.date(2021, 3, 1))
    township.refresh_from_db()
    assert township.retired_on == dt.date(2021, 3, 1) and township.successor == into
    assert set(into.children.values_list("code", flat=True)) == {
        "110106200201",
        "110106200202",
        "110106200203",
        "110106200204",
    }
    assert not Area.objects.current().filter(code="110106200").exists()
    with pytest.raises(ValidationError):
        area_create(code="Q1", name="新村", kind=AreaKind.VILLAGE, parent=township)


def test_a_change_cannot_be_dated_before_the_area_existed(world: World) -> None:
    street = world.areas[WANPING_STREET]
    for change in (
        lambda: area_rename(area=street, name="宛平街道", effective_on=dt.date(2019, 12, 31)),
        lambda: area_move(
            area=world.areas[WANPING], parent=street, effective_on=dt.date(2019, 6, 1)
        ),
        lambda: area_merge(
            area=world.areas[ZHENGUOSI], into=world.areas[WANPING], effective_on=dt.date(2019, 1, 1)
        ),
    ):
        with pytest.raises(ValidationError) as refused:
            change()
        assert refused.value.error_dict["effective_on"][0].code == "before_created"
    street.refresh_from_db()
    assert street.name == "宛平城地区" and not street.changes.exclude(kind="created").exists()
