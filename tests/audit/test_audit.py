from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.db import DatabaseError, connection, transaction

from fangkong.audit.models import EXPORTS, AuditAction, AuditEvent
from fangkong.audit.services import audit_document_search, audit_export, audit_view_record
from tests.conftest import WANPING, World


def test_reads_searches_and_exports_are_recorded(world: World) -> None:
    area = world.areas[WANPING]
    audit_view_record(actor=world.wanping_worker, obj=area)
    audit_document_search(actor=world.wanping_worker, found=1)
    audit_export(actor=world.wanping_worker, what="registry.person", rows=12, area=area)
    actions = list(
        AuditEvent.objects.filter(actor=world.wanping_worker).values_list("action", flat=True)
    )
    assert set(actions) >= {
        AuditAction.VIEW_RECORD,
        AuditAction.SEARCH_DOCUMENT,
        AuditAction.EXPORT,
    }
    event = AuditEvent.objects.get(action=AuditAction.VIEW_RECORD)
    assert (event.object_type, event.object_id) == ("areas.area", str(area.pk))
    assert event.actor_name == "wanping_worker" and event.area == area


def test_the_log_refuses_changes_in_code(world: World) -> None:
    event = audit_document_search(actor=world.admin)
    with pytest.raises(TypeError):
        event.save()
    with pytest.raises(TypeError):
        event.delete()
    with pytest.raises(TypeError):
        AuditEvent.objects.all().delete()
    with pytest.raises(TypeError):
        AuditEvent.objects.update(detail="x")


def test_the_database_itself_refuses_update_and_delete(world: World) -> None:
    event = audit_document_search(actor=world.admin)
    for sql in (
        "UPDATE audit_auditevent SET detail = 'x' WHERE id = %s",
        "DELETE FROM audit_auditevent WHERE id = %s",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, [event.pk])
    assert AuditEvent.objects.filter(pk=event.pk, detail=event.detail).exists()


def test_only_admins_read_the_log(world: World) -> None:
    audit_document_search(actor=world.wanping_worker, found=0)
    assert world.client(world.wanping_worker).get("/audit/").status_code == 403
    assert world.api(world.wanping_worker).get("/api/v1/audit-events/").status_code == 403
    audit_view_record(actor=world.wanping_worker, obj=world.areas[WANPING])
    audit_export(actor=world.wanping_worker, what="gate-checks", rows=3)
    page = world.client(world.admin).get("/audit/")
    html = page.content.decode()
    assert page.status_code == 200 and "按证件号查询" in html
    # The object in words: the model's name, or the label as written when it names none.
    assert f"区域 {world.areas[WANPING].pk}" in html and "areas.area" not in html
    assert "gate-checks" in html
    rows = world.api(world.admin).get("/api/v1/audit-events/").json()["results"]
    assert any(r["action"] == "search_document" for r in rows)


def test_the_api_has_no_write_methods_for_the_log(world: World) -> None:
    response = world.api(world.admin).post("/api/v1/audit-events/", {}, format="json")
    assert response.status_code == 405


def test_every_export_is_named_in_words(world: World) -> None:
    root = Path(__file__).resolve().parents[2] / "fangkong"
    used = {
        what
        for path in root.rglob("*.py")
        for call in re.findall(r"audit_export\((.*?)\)\n", path.read_text(), re.S)
        for what in re.findall(r'"([\w.]+)"', call.split("what=", 1)[-1].split("rows=")[0])
    }
    assert used and used <= set(EXPORTS), used - set(EXPORTS)
    for what in used:
        audit_export(actor=world.wanping_worker, what=what, rows=2)
    html = world.client(world.admin).get("/audit/").content.decode()
    for what in used:
        assert str(EXPORTS[what]) in html
        assert f">{what}" not in html and f"{what} " not in html, what
