from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from fangkong.areas.models import Area, AreaChangeKind, AreaKind
from tests.conftest import World


def run(*args: str) -> str:
    out = StringIO()
    call_command("load-areas", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_it_loads_a_county_from_the_ministry_table() -> None:
    output = run("110105")  # 朝阳区
    county = Area.objects.get(code="110105")
    assert county.name == "朝阳区" and county.kind == AreaKind.DISTRICT
    streets = county.children.all()
    assert streets.count() >= 40
    assert streets.get(code="110105039").name == "东坝乡"
    assert streets.get(code="110105039").kind == AreaKind.TOWNSHIP
    assert "created" in output
    assert run("110105").count("0 created") == 1  # idempotent


@pytest.mark.django_db
def test_a_dry_run_changes_nothing() -> None:
    output = run("110106", "--dry-run")
    assert "[dry run]" in output
    assert not Area.objects.exists()


def test_it_records_2021_renames_over_the_2020_tree(world: World) -> None:
    output = run("110106", "--effective-on", "2021-03-01")
    wanping = Area.objects.get(code="110106014")
    assert (wanping.name, wanping.kind) == ("宛平街道", AreaKind.STREET)
    assert wanping.changes.filter(kind=AreaChangeKind.RENAMED, old_name="宛平城地区").exists()
    assert "宛平城地区 → 宛平街道" in output
    # The 2020 townships the table no longer has are reported, not deleted.
    assert "110106200" in output and Area.objects.filter(code="110106200").exists()
    # Communities under a renamed street stay where they were.
    assert Area.objects.get(code="110106014001").parent == wanping


@pytest.mark.django_db
def test_an_unknown_county_code_is_a_clear_error() -> None:
    with pytest.raises(CommandError, match="999999"):
        run("999999")
    with pytest.raises(CommandError, match="110000"):
        run("110000")  # a province, not a county
