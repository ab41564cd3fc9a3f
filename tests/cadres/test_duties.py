"""A cadre's day: the health check first, then the sign-in; a fever (or a symptom) blocks
the sign-in and tells the community on its 工作台; insurance and training; the end of a
deployment; reports; scoping."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from fangkong.cadres import selectors, services
from fangkong.cadres.models import SignIn
from fangkong.core.errors import Conflict
from fangkong.site.workbench import work_items
from tests.cadres.conftest import TODAY, Cadres
from tests.conftest import World


def _unwell_item(user) -> int:  # type: ignore[no-untyped-def]
    return sum(i.count for i in work_items(user, TODAY) if i.url.endswith("list=unwell"))


def test_a_fever_at_the_health_check_blocks_todays_sign_in(world: World, cadres: Cadres) -> None:
    wang = cadres.wang_ying
    with pytest.raises(ValidationError) as error:
        services.sign_in(actor=cadres.wang_account, cadre=wang)
    assert (
        error.value.message_dict["health"]
        and error.value.error_dict["health"][0].code == "no_health_check"
    )
    check = services.health_check_record(actor=cadres.wang_account, cadre=wang, temperature="37.6")
    assert not check.fit
    with pytest.raises(ValidationError) as error:
        services.sign_in(actor=cadres.wang_account, cadre=wang)
    assert error.value.error_dict["health"][0].code == "unfit"
    assert SignIn.objects.count() == 0
    # The community is told: an urgent item on its 工作台, not on another community's.
    assert _unwell_item(world.zhenguosi_worker) == 1
    assert _unwell_item(world.wanping_worker) == 0
    items = [i for i in work_items(world.zhenguosi_worker, TODAY) if i.url.endswith("list=unwell")]
    assert items[0].urgent
    # Over the page too: the sign-in is refused with the reason.
    page = world.client(cadres.wang_account)
    page.post(f"/cadres/{wang.pk}/sign-in/")
    assert SignIn.objects.count() == 0
    # A symptom without a fever is unfit too.
    other = services.health_check_record(
        actor=world.wanping_worker, cadre=cadres.wanping_cadre, temperature="36.6", symptoms=True
    )
    assert not other.fit


def test_a_well_cadre_signs_in_once_a_day(world: World, cadres: Cadres) -> None:
    client = world.client(cadres.wang_account)
    assert (
        client.post(f"/cadres/{cadres.wang_ying.pk}/health/", {"temperature": "36.5"}).status_code
        == 302
    )
    assert client.post(f"/cadres/{cadres.wang_ying.pk}/sign-in/").status_code == 302
    assert SignIn.objects.get().area == cadres.wang_ying.area
    with pytest.raises(Conflict):
        services.sign_in(actor=cadres.wang_account, cadre=cadres.wang_ying)
    with pytest.raises(Conflict):
        services.health_check_record(
            actor=cadres.wang_account, cadre=cadres.wang_ying, temperature="36.4"
        )
    html = client.get("/cadres/").content.decode()
    assert 'id="me"' in html and 'data-signed-in="1"' in html


def test_a_cadre_checks_only_themselves_and_another_community_sees_nothing(
    world: World, cadres: Cadres
) -> None:
    with pytest.raises(PermissionDenied):
        services.health_check_record(
            actor=cadres.wang_account, cadre=cadres.wanping_cadre, temperature="36.5"
        )
    client = world.client(world.zhenguosi_worker)
    html = client.get("/cadres/").content.decode()
    assert f'data-cadre="{cadres.wang_ying.pk}"' in html
    assert f'data-cadre="{cadres.wanping_cadre.pk}"' not in html
    assert client.get(f"/cadres/{cadres.wanping_cadre.pk}/").status_code == 404
    assert (
        client.post(
            f"/cadres/{cadres.wanping_cadre.pk}/health/", {"temperature": "36.5"}
        ).status_code
        == 404
    )
    listed = world.api(world.wanping_worker).get("/api/v1/cadres/").json()["results"]
    assert [c["id"] for c in listed] == [cadres.wanping_cadre.pk]


def test_insurance_lists_the_uninsured_and_the_expiring(world: World, cadres: Cadres) -> None:
    officer = world.district_officer
    assert {c.pk for c in selectors.uninsured(user=officer, on=TODAY)} == {
        cadres.wang_ying.pk,
        cadres.wanping_cadre.pk,
    }
    services.insurance_record(
        actor=officer, cadre=cadres.wang_ying, insurer="中国人寿", policy_number="P1",
        starts_on=TODAY - dt.timedelta(days=10), ends_on=TODAY + dt.timedelta(days=80),
    )  # fmt: skip
    services.insurance_record(
        actor=officer, cadre=cadres.wanping_cadre, insurer="中国人寿", policy_number="P2",
        starts_on=TODAY - dt.timedelta(days=10), ends_on=TODAY + dt.timedelta(days=3),
    )  # fmt: skip
    assert list(selectors.uninsured(user=officer, on=TODAY)) == []
    assert [c.pk for c in selectors.expiring(user=officer, on=TODAY)] == [cadres.wanping_cadre.pk]
    with pytest.raises(ValidationError) as error:
        services.insurance_record(
            actor=officer, cadre=cadres.wang_ying, insurer="x", policy_number="P3",
            starts_on=TODAY, ends_on=TODAY - dt.timedelta(days=1),
        )  # fmt: skip
    assert "ends_on" in error.value.message_dict


def test_reassign_within_the_street_and_end_of_deployment(world: World, cadres: Cadres) -> None:
    street = world.wanping_officer
    village = world.areas["110106014201"]
    services.cadre_reassign(actor=street, cadre=cadres.wanping_cadre, area=village, on=TODAY)
    assert cadres.wanping_cadre.deployments.count() == 2
    with pytest.raises(ValidationError) as error:  # 镇国寺 is not the street's
        services.cadre_reassign(
            actor=street, cadre=cadres.wanping_cadre, area=world.areas["110106015001"], on=TODAY
        )
    assert "area" in error.value.message_dict
    with pytest.raises(PermissionDenied):  # nor is 王颖
        services.cadre_reassign(actor=street, cadre=cadres.wang_ying, area=village, on=TODAY)
    services.deployment_end(actor=street, cadre=cadres.wanping_cadre, on=TODAY, reason="期满")
    with pytest.raises(ValidationError):
        services.health_check_record(
            actor=world.district_officer, cadre=cadres.wanping_cadre, temperature="36.5"
        )


def test_reports_per_organ_and_per_cadre(world: World, cadres: Cadres) -> None:
    services.health_check_record(
        actor=cadres.wang_account, cadre=cadres.wang_ying, temperature="36.5"
    )
    services.sign_in(actor=cadres.wang_account, cadre=cadres.wang_ying)
    services.training_record(
        actor=world.district_officer, cadre=cadres.wang_ying, title="统一培训", on=TODAY
    )
    rows = {r.organ.name: r for r in selectors.organ_report(user=world.district_officer, on=TODAY)}
    assert rows["丰台区侨联"].signed_in == 1 and rows["丰台区侨联"].days_served == 1
    assert rows["抗战纪念馆"].signed_in == 0
    report = (
        world.api(world.zhenguosi_worker)
        .get(f"/api/v1/cadres/{cadres.wang_ying.pk}/report/")
        .json()
    )
    assert report["days_served"] == 1 and report["communities"] == ["镇国寺社区"]
    assert report["trainings"] == 1
    page = world.client(world.district_officer).get("/cadres/organs/").content.decode()
    assert "丰台区侨联" in page


def test_the_community_dials_a_cadre_and_the_reveal_is_audited(
    world: World, cadres: Cadres
) -> None:
    from fangkong.audit.models import AuditAction, AuditEvent

    client = world.client(world.zhenguosi_worker)
    page = client.get(f"/cadres/{cadres.wang_ying.pk}/").content.decode()
    assert 'data-call="cadre"' in page and "138****8000" in page and "13800138000" not in page
    answer = client.post(f"/contacts/call/cadre/{cadres.wang_ying.pk}/")
    assert answer.status_code == 200 and "tel:+8613800138000" in answer.content.decode()
    assert AuditEvent.objects.filter(
        action=AuditAction.VIEW_RECORD, actor=world.zhenguosi_worker
    ).exists()
    other = world.client(world.wanping_worker)
    assert other.post(f"/contacts/call/cadre/{cadres.wang_ying.pk}/").status_code == 404
