"""Passes: who may get one, numbers and tokens, replace / suspend / revoke, printable cards;
the pages of the module (gates, per-hour counts, denials by reason, night checks, movements,
referrals, visitors), all scoped."""

from __future__ import annotations

import datetime as dt
import re
import uuid

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from fangkong.access.demo import load_demo_access
from fangkong.access.models import GateCheck, GateReferral, Pass, PassStatus, Visit
from fangkong.access.services import (
    daily_expire_passes,
    luhn_digit,
    new_number,
    number_is_valid,
    pass_issue,
    pass_reactivate,
    pass_replace,
    pass_revoke,
    pass_suspend,
    referral_create,
    referral_handle,
    visit_register,
)
from fangkong.audit.models import AuditEvent
from tests.access.conftest import CHENGNEI, QIAOXI, Post, resident_with_pass
from tests.conftest import WANPING, World
from tests.factories import make_person, valid_id


def issue(world: World, person: object, zone: str = CHENGNEI, **kw: object) -> Pass:
    kw.setdefault("kind", "resident")
    kw.setdefault("verified", True)
    return pass_issue(actor=world.wanping_worker, person=person, area=world.areas[zone], **kw)  # type: ignore[arg-type]


def test_numbers_carry_a_check_digit_and_tokens_carry_nothing_personal(world: World) -> None:
    numbers = {new_number() for _ in range(200)}
    assert len(numbers) == 200 and all(number_is_valid(n) for n in numbers)
    n = numbers.pop()
    typo = n[:3] + str((int(n[3]) + 1) % 10) + n[4:]
    assert not number_is_valid(typo)
    assert luhn_digit("7992739871") == "3"  # the textbook example
    person, card = resident_with_pass(world)
    assert len(card.token) >= 32 and re.fullmatch(r"[A-Za-z0-9_-]+", card.token)
    for leak in (person.name, person.document_masked[-4:], card.number):
        assert leak not in card.token


def test_it_issues_one_pass_per_person_and_zone(world: World) -> None:
    person, card = resident_with_pass(world)
    assert card.status == PassStatus.ACTIVE and card.issued_by == world.wanping_worker
    with pytest.raises(ValidationError, match="已有城内街的出入证"):
        issue(world, person)
    # Another zone is another pass (but only where they live: see below).
    assert AuditEvent.objects.filter(detail__startswith="核发出入证").count() == 1


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"verified": False}, "verified"),
        ({"kind": "temporary"}, "valid_until"),
        ({"kind": "temporary", "valid_until": dt.date(2000, 1, 1)}, "valid_until"),
        ({"kind": "nonsense"}, "kind"),
    ],
)
def test_it_refuses_a_pass_without_the_checks(
    world: World, change: dict[str, object], field: str
) -> None:
    person = make_person(
        world.wanping_worker, world.areas[CHENGNEI], "李四", building="城内街3号院"
    )
    with pytest.raises(ValidationError) as exc:
        issue(world, person, **change)
    assert field in exc.value.message_dict
    assert not Pass.objects.exists()


def test_it_refuses_people_who_do_not_live_or_work_there_or_are_not_back(world: World) -> None:
    elsewhere = make_person(world.wanping_worker, world.areas[QIAOXI], "桥西住户")
    with pytest.raises(ValidationError, match="不在城内街居住或工作"):
        issue(world, elsewhere)
    away = make_person(
        world.wanping_worker,
        world.areas[CHENGNEI],
        "未返京",
        whereabouts="not_back",
        away_from="河南省",
    )
    with pytest.raises(ValidationError, match="未返京"):
        issue(world, away)
    zhenguosi = make_person(world.zhenguosi_worker, world.areas["110106015001"], "镇国寺居民")
    with pytest.raises(ValidationError, match="管辖范围"):
        issue(world, zhenguosi, zone=CHENGNEI)
    temporary = make_person(world.wanping_worker, world.areas[CHENGNEI], "护工")
    card = issue(
        world, temporary, kind="temporary", valid_until=timezone.localdate() + dt.timedelta(days=30)
    )
    assert card.kind == "temporary"


def test_replace_suspend_reactivate_revoke(world: World) -> None:
    person, card = resident_with_pass(world)
    worker = world.wanping_worker
    new = pass_replace(actor=worker, gate_pass=card, reason="遗失")
    card.refresh_from_db()
    assert card.status == PassStatus.REVOKED and card.replaced_by == new
    assert new.person == person and new.area == card.area and new.status == PassStatus.ACTIVE
    with pytest.raises(ValidationError):
        pass_replace(actor=worker, gate_pass=card, reason="遗失")  # the old one: not again
    pass_suspend(actor=worker, gate_pass=new, reason="冒用")
    with pytest.raises(ValidationError, match="原因"):
        pass_suspend(actor=worker, gate_pass=new, reason="")
    newer = pass_replace(actor=worker, gate_pass=new, reason="损坏")
    assert newer.status == PassStatus.SUSPENDED  # a suspended card is replaced suspended
    pass_reactivate(actor=worker, gate_pass=newer)
    pass_revoke(actor=worker, gate_pass=newer, reason="搬离")
    assert Pass.objects.get(pk=newer.pk).status == PassStatus.REVOKED
    with pytest.raises(PermissionDenied):
        pass_suspend(actor=world.zhenguosi_worker, gate_pass=newer, reason="x")


def test_it_refuses_to_replace_a_pass_without_a_reason_and_changes_nothing(world: World) -> None:
    _person, card = resident_with_pass(world)
    with pytest.raises(ValidationError) as refused:
        pass_replace(actor=world.wanping_worker, gate_pass=card, reason="  ")
    assert refused.value.message_dict == {"reason": ["请填写补办的原因"]}
    client = world.client(world.wanping_worker)
    response = client.post(f"/access/passes/{card.pk}/replace/", {"reason": ""}, follow=True)
    assert response.status_code == 200
    assert "请填写补办的原因" in response.content.decode()
    assert "已补办新证" not in response.content.decode()
    card.refresh_from_db()
    assert (card.status, card.replaced_by) == (PassStatus.ACTIVE, None)
    assert Pass.objects.count() == 1


def test_a_replacement_with_a_reason_revokes_the_old_pass_and_issues_a_new_one(
    world: World,
) -> None:
    _person, card = resident_with_pass(world)
    client = world.client(world.wanping_worker)
    response = client.post(f"/access/passes/{card.pk}/replace/", {"reason": "遗失"})
    card.refresh_from_db()
    assert card.status == PassStatus.REVOKED and card.status_reason == "遗失"
    assert card.replaced_by is not None and card.replaced_by.status == PassStatus.ACTIVE
    assert response.url == f"/access/passes/{card.replaced_by.pk}/"  # type: ignore[attr-defined]


def test_the_pass_page_asks_for_a_reason_and_a_confirmation_before_replacing(
    world: World,
) -> None:
    _person, card = resident_with_pass(world)
    page = world.client(world.wanping_worker).get(f"/access/passes/{card.pk}/").content.decode()
    for action, warning in (("replace", "确定补办？"), ("revoke", "确定作废？")):
        form = re.search(rf'<form [^>]*id="{action}".*?</form>', page, re.S)
        assert form is not None, action
        assert 'onsubmit="return confirm(this.dataset.confirm)"' in form.group()
        assert warning in form.group() and card.number_display in form.group()
        assert re.search(r'<input [^>]*name="reason"[^>]*required', form.group())


def test_the_daily_step_expires_passes_past_their_end_date(world: World) -> None:
    person = make_person(world.wanping_worker, world.areas[CHENGNEI], "临时工")
    today = timezone.localdate()
    card = issue(world, person, kind="temporary", valid_until=today)
    assert daily_expire_passes(on=today) == 0
    assert daily_expire_passes(on=today + dt.timedelta(days=1), dry_run=True) == 1
    assert daily_expire_passes(on=today + dt.timedelta(days=1)) == 1
    assert daily_expire_passes(on=today + dt.timedelta(days=1)) == 0
    card.refresh_from_db()
    assert card.status == PassStatus.EXPIRED


def test_the_api_issues_and_lists_passes_in_scope(world: World) -> None:
    person = make_person(
        world.wanping_worker, world.areas[CHENGNEI], "王五", building="城内街5号院"
    )
    api = world.api(world.wanping_worker)
    body = {"person": person.pk, "area": CHENGNEI, "kind": "resident", "verified": True}
    response = api.post("/api/v1/passes/", body, format="json")
    assert response.status_code == 201, response.content
    assert number_is_valid(response.json()["number"])
    assert "token" not in response.json()
    again = api.post("/api/v1/passes/", body, format="json")
    assert again.status_code == 400 and again.json()["errors"][0]["field"] == "person"
    assert world.api(world.zhenguosi_worker).get("/api/v1/passes/").json()["count"] == 0
    assert world.api(world.guard).post("/api/v1/passes/", body, format="json").status_code == 403


def test_cards_print_many_to_an_a4_sheet_with_a_qr_svg(post: Post) -> None:
    cards = [post.card] + [resident_with_pass(post.world, f"居民{i}")[1] for i in range(9)]
    client = post.world.client(post.world.wanping_worker)
    query = "&".join(f"ids={c.pk}" for c in cards)
    page = client.get(f"/access/passes/print/?{query}").content.decode()
    assert page.count('class="sheet"') == 2  # 10 cards: 8 + 2
    assert page.count("data-card=") == 10 and page.count("<svg") == 10
    assert "照片" in page and "李建国" in page and post.card.number_display in page
    assert post.card.token not in page  # the QR is drawn, the token is not printed
    whole_zone = client.get(f"/access/passes/print/?area={CHENGNEI}").content.decode()
    assert whole_zone.count("data-card=") == 10
    other = post.world.client(post.world.zhenguosi_worker).get(f"/access/passes/print/?{query}")
    assert "data-card=" not in other.content.decode()


def test_the_pages_show_counts_denials_night_checks_and_movements(post: Post) -> None:
    # At noon: checks made between 22:00 and 06:00 would all be night checks.
    noon = timezone.make_aware(dt.datetime.combine(timezone.localdate(), dt.time(12, 0)))
    with time_machine.travel(noon, tick=True):
        _pages_show_counts_denials_night_checks_and_movements(post)


def _pages_show_counts_denials_night_checks_and_movements(post: Post) -> None:
    post.check()
    post.check(temperature=38.0)
    post.check(pass_token="forged", direction="out")
    night = GateCheck.objects.order_by("id").first()
    assert night is not None
    local_night = timezone.make_aware(dt.datetime.combine(timezone.localdate(), dt.time(5, 10)))
    GateCheck.objects.filter(pk=night.pk).update(at=local_night)
    client = post.world.client(post.world.wanping_worker)
    gates = client.get("/access/gates/").content.decode()
    assert 'data-stat="checks">3<' in gates and 'data-stat="denied">2<' in gates
    assert 'data-stat="night">1<' in gates
    assert "体温异常" in gates and "无出入证" in gates
    hourly = client.get(f"/access/gates/{post.gate.pk}/").content.decode()
    assert 'data-hour="5"' in hourly and 'data-stat="checks">3<' in hourly
    denied = client.get("/access/checks/?decision=deny&reason=fever").content.decode()
    assert denied.count("data-check=") == 1 and "38.0" in denied
    nights = client.get("/access/checks/?night=1").content.decode()
    assert nights.count("data-check=") == 1
    before = AuditEvent.objects.count()
    moves = client.get(f"/access/people/{post.resident.pk}/movements/").content.decode()
    assert moves.count("<tr>") >= 2 and "城内街东门" in moves
    assert AuditEvent.objects.count() == before + 1
    assert AuditEvent.objects.order_by("-id").first().detail == "查看出入记录"  # type: ignore[union-attr]
    zhen = post.world.client(post.world.zhenguosi_worker)
    assert zhen.get(f"/access/people/{post.resident.pk}/movements/").status_code == 404
    assert zhen.get(f"/access/gates/{post.gate.pk}/").status_code == 404
    assert "城内街东门" not in zhen.get("/access/gates/").content.decode()


def test_the_guard_hands_an_unannounced_returnee_to_the_community(post: Post) -> None:
    document = valid_id(901)
    make_person(
        post.world.wanping_worker,
        post.world.areas[CHENGNEI],
        "返京租户",
        document_number=document,
        whereabouts="not_back",
        away_from="河南省",
    )
    check_id = str(uuid.uuid4())
    assert post.check(check_id=check_id, document_number=document).json()["reasons"] == ["no_pass"]
    api = post.world.api(post.world.guard)
    body = {"check_id": check_id, "name": "返京租户", "note": "自述从河南返京"}
    response = api.post("/api/v1/gate-referrals/", body, format="json")
    assert response.status_code == 201
    assert api.post("/api/v1/gate-referrals/", body, format="json").status_code == 201
    referral = GateReferral.objects.get()
    assert referral.kind == "unannounced" and referral.person is not None
    # An admitted check cannot be referred.
    admitted = str(uuid.uuid4())
    post.check(check_id=admitted)
    bad = api.post("/api/v1/gate-referrals/", {"check_id": admitted}, format="json")
    assert bad.status_code == 400
    # The community's list links straight into the unannounced-arrival form.
    page = post.world.client(post.world.wanping_worker).get("/access/referrals/").content.decode()
    assert f"/arrivals/unannounced/new/?area={CHENGNEI}&amp;referral={referral.pk}" in page
    form = post.world.client(post.world.wanping_worker).get(
        f"/arrivals/unannounced/new/?area={CHENGNEI}&referral={referral.pk}"
    )
    assert form.status_code == 200
    referral_handle(actor=post.world.wanping_worker, referral=referral, handling="已登记，联系房东")
    referral.refresh_from_db()
    assert referral.status == "done"
    with pytest.raises(PermissionDenied):
        referral_create(
            actor=post.world.zhenguosi_worker, check=GateCheck.objects.get(check_id=check_id)
        )
    zhen = post.world.client(post.world.zhenguosi_worker).get("/access/referrals/?state=all")
    assert "返京租户" not in zhen.content.decode()


def test_visitors_and_deliveries_follow_the_policy_in_force(post: Post) -> None:
    from decimal import Decimal

    guard = post.world.guard
    courier = visit_register(
        actor=guard,
        gate=post.gate,
        kind="delivery",
        reason="parcel",
        name="快递员",
        temperature=Decimal("36.4"),
    )
    plumber = visit_register(
        actor=guard,
        gate=post.gate,
        kind="visitor",
        reason="repair",
        name="维修工",
        temperature=Decimal("36.6"),
        phone="13812345678",
    )
    feverish = visit_register(
        actor=guard,
        gate=post.gate,
        kind="visitor",
        reason="care",
        name="护工",
        temperature=Decimal("37.9"),
    )
    assert (courier.decision, courier.reasons) == ("deny", "not_allowed")
    assert (plumber.decision, plumber.phone_masked) == ("admit", "138****5678")
    assert (feverish.decision, feverish.reasons) == ("deny", "fever")
    assert plumber.policy is not None
    with pytest.raises(ValidationError):
        visit_register(
            actor=guard,
            gate=post.qiaoxi_gate,
            kind="visitor",
            reason="repair",
            name="x",
            temperature=Decimal("36.5"),
        )
    page = post.world.client(post.world.wanping_worker).get("/access/visits/").content.decode()
    assert "按现行政策不得进入" in page and "138****5678" in page
    form = post.world.client(guard).post(
        "/access/gate/visit/",
        {
            "gate": post.gate.pk,
            "kind": "visitor",
            "reason": "relative",
            "name": "亲戚",
            "temperature": "36.5",
        },
        follow=True,
    )
    assert "禁止进入" in form.content.decode()
    assert Visit.objects.count() == 4


def test_the_guard_page_is_tiny_and_loads_no_scanner_up_front(post: Post) -> None:
    response = post.world.client(post.world.guard).get("/access/gate/")
    page = response.content.decode()
    assert response.status_code == 200 and len(response.content) < 16_000
    assert "城内街东门" in page and "桥西街口" not in page  # the guard's zone only
    assert "<script src" not in page and "bootstrap" not in page
    assert "vendor/qr-scanner/qr-scanner.min.js" in page  # imported on the first tap only
    # Office pages are not the guard's.
    assert post.world.client(post.world.guard).get("/access/passes/").status_code == 403


def test_the_demo_has_wanpings_posts_passes_and_a_morning_of_checks(world: World) -> None:
    from fangkong.accounts.demo import load_demo_accounts
    from fangkong.arrivals.demo import load_demo_arrivals
    from fangkong.arrivals.models import Alert
    from fangkong.registry.demo.loading import load_demo_registry

    load_demo_accounts()
    load_demo_registry()
    load_demo_arrivals()
    alerts = Alert.objects.count()
    first = load_demo_access()
    assert first.created and first.gates == 4 and first.passes > 500
    assert first.checks > 100 and first.referrals == 1
    reasons = set(GateCheck.objects.exclude(reasons="").values_list("reasons", flat=True))
    assert "fever" in reasons and any("no_pass" in r for r in reasons)
    assert Alert.objects.count() == alerts + 1
    assert GateReferral.objects.get().kind == "unannounced"
    # The visitors came during the morning of the checks, not when the demo was loaded.
    local = timezone.localtime
    morning = {local(c.at).date() for c in GateCheck.objects.filter(area__code__startswith=WANPING)}
    visits = list(Visit.objects.all())
    assert len(morning) == 1 and len(visits) == 2
    assert all(local(v.at).date() in morning and local(v.at).hour < 10 for v in visits)
    again = load_demo_access()
    assert not again.created and again.checks == first.checks
    assert GateCheck.objects.filter(area__code__startswith=WANPING).count() == first.checks
