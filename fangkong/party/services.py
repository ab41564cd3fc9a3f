"""The only writers of the party app: organisations and treasurers, members, donations and
their reversals, remittances sent and received. Every amount goes through
`money.parse_amount` (Decimal, exact to the fen, never a float).

Money never goes missing between levels: an organisation passes up at most what it holds
and reverses a donation only out of what it holds (its row is locked while it decides, so
two treasurers at once cannot both spend the same fen); a batch is received once (a
conditional UPDATE; the second is refused with 409)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fangkong.areas.models import Area
from fangkong.audit.models import AuditAction
from fangkong.audit.services import audit_record
from fangkong.core.dates import EARLIEST
from fangkong.core.errors import Conflict, invalid
from fangkong.core.figures import figures_touched
from fangkong.core.scoping import ensure_visible, is_visible
from fangkong.party.models import (
    CHILD_KINDS,
    BranchDay,
    Channel,
    Donation,
    Member,
    Organisation,
    OrgKind,
    Remittance,
    to_fen,
)
from fangkong.party.money import parse_amount, yuan
from fangkong.party.selectors import org_position
from fangkong.policy.selectors import donation_suggested_max_on
from fangkong.registry.models import Person
from fangkong.registry.transfers.services import person_by_document


def _audit(actor: Any, obj: Any, area: Area, detail: str) -> None:
    audit_record(actor=actor, action=AuditAction.CHANGE, obj=obj, area=area, detail=detail)


def checked_day(on: dt.date | None, field: str) -> dt.date:
    today = timezone.localdate()
    if on is None:
        return today
    if on > today:
        raise invalid(field, _("日期不能晚于今天"), "future")
    if on < EARLIEST:
        raise invalid(field, _("日期过早"), "too_early")
    return on


@transaction.atomic
def org_create(
    *,
    actor: Any,
    name: str,
    kind: str,
    area: Area,
    parent: Organisation | None = None,
    treasurer: Any = None,
) -> Organisation:
    """A party organisation under `parent` (none: a district committee at the top)."""
    name = name.strip()
    if not name:
        raise invalid("name", _("请填写党组织名称"), "required")
    if kind not in OrgKind.values:
        raise invalid("kind", _("类型应为区委、党工委、社区党委或党支部"), "invalid_choice")
    ensure_visible(area, actor, field="area")
    if parent is None:
        if kind != OrgKind.DISTRICT:
            raise invalid("parent", _("请选择上级党组织"), "required")
    else:
        ensure_visible(parent, actor, field="parent")
        if kind not in CHILD_KINDS[parent.kind]:
            raise invalid(
                "kind",
                _("%(parent)s下不能设%(kind)s")
                % {"parent": parent.get_kind_display(), "kind": OrgKind(kind).label},
                "invalid_child",
            )
    if Organisation.objects.filter(parent=parent, name=name).exists():
        raise Conflict("name", _("已有同名党组织“%(name)s”") % {"name": name}, code="exists")
    if treasurer is not None:
        ensure_visible(treasurer, actor, field="treasurer")
    org = Organisation.objects.create(
        name=name, kind=kind, area=area, parent=parent, treasurer=treasurer
    )
    org.path = f"{parent.path if parent else '/'}{org.pk}/"
    org.save(update_fields=["path"])
    _audit(actor, org, area, f"party org created ({kind})")
    return org


@transaction.atomic
def org_set_treasurer(*, actor: Any, org: Organisation, treasurer: Any) -> Organisation:
    """The account that collects and remits for `org` (its 收款人)."""
    ensure_visible(org, actor)
    if treasurer is not None:
        ensure_visible(treasurer, actor, field="treasurer")
        if treasurer.area_id and not org.area.path.startswith(treasurer.area.path):
            raise invalid("treasurer", _("收款人的账号须能看到这个党组织"), "out_of_scope")
    org.treasurer = treasurer
    org.save(update_fields=["treasurer"])
    _audit(actor, org, org.area, "treasurer set")
    return org


@transaction.atomic
def member_add(
    *, actor: Any, branch: Organisation, person: Person, joined_on: dt.date | None = None
) -> Member:
    """A registered person joins `branch` as a party member (one branch per person)."""
    ensure_visible(branch, actor, field="branch")
    ensure_visible(person, actor, field="person")
    if branch.kind != OrgKind.BRANCH:
        raise invalid("branch", _("党员只能编入党支部"), "not_a_branch")
    existing = Member.objects.filter(person=person).select_related("branch").first()
    if existing is not None:
        raise Conflict(
            "person",
            _("此人已是“%(branch)s”的党员") % {"branch": existing.branch.name},
            code="member_exists",
            id=existing.pk,
        )
    member = Member.objects.create(
        person=person,
        branch=branch,
        joined_on=checked_day(joined_on, "joined_on") if joined_on else None,
    )
    _audit(actor, member, branch.area, "member added")
    return member


def person_by_document_visible(*, actor: Any, document_type: str, document_number: str) -> Person:
    """The registered person with this document (following merges), if the actor may see
    them: someone registered elsewhere reads the same as no one, so a document number
    tells nothing of a person outside the actor's territory."""
    person = person_by_document(document_type, document_number)
    if person is None or not is_visible(person, actor):
        raise invalid(
            "document_number",
            _("您的辖区没有以此证件登记的人员，请先在“人员”中登记"),
            "not_found",
        )
    return person


@transaction.atomic
def member_add_by_document(
    *,
    actor: Any,
    branch: Organisation,
    document_type: str,
    document_number: str,
    joined_on: dt.date | None = None,
) -> Member:
    """`member_add` for the person registered with this document (the page and the API
    both add members this way; the API also by person id)."""
    ensure_visible(branch, actor, field="branch")
    person = person_by_document_visible(
        actor=actor, document_type=document_type, document_number=document_number
    )
    return member_add(actor=actor, branch=branch, person=person, joined_on=joined_on)


def _lock(org: Organisation) -> Organisation:
    return Organisation.objects.select_for_update().get(pk=org.pk)


def branch_days_rebuild(
    branch_ids: Collection[int] | None = None, *, donation: Any = Donation, day: Any = BranchDay
) -> int:
    """Recount the day totals (`BranchDay`) of these branches, or of every branch, from
    their ledger; returns how many days were written. Called under the branch's lock by
    each writer of the ledger; `donation` and `day` are the models (a migration passes its
    own)."""
    ledger = donation.objects.order_by().values_list(
        "branch_id", "on", "member_id", "amount_fen", "above_suggested", "reversed", "reverses_id"
    )
    days = day.objects.all()
    if branch_ids is not None:
        ledger = ledger.filter(branch_id__in=list(branch_ids))
        days = days.filter(branch_id__in=list(branch_ids))
    totals: dict[tuple[int, dt.date], list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    donors: dict[tuple[int, dt.date], set[int]] = defaultdict(set)
    first: dict[tuple[int, int], dt.date] = {}
    for branch_id, on, member_id, fen, above, reversed_, reverses_id in ledger.iterator(
        chunk_size=10_000
    ):
        key = (branch_id, on)
        totals[key][0] += fen
        if reversed_ or reverses_id is not None:
            continue
        donors[key].add(member_id)
        totals[key][3] += bool(above)
        seen = first.get((branch_id, member_id))
        if seen is None or on < seen:
            first[(branch_id, member_id)] = on
    for (branch_id, _member), on in first.items():
        totals[(branch_id, on)][2] += 1
    days.delete()
    rows = [
        day(branch_id=branch_id, on=on, amount_fen=fen, donors=len(donors[(branch_id, on)]),
            first_donors=firsts, above_suggested=above)
        for (branch_id, on), (fen, _n, firsts, above) in totals.items()
    ]  # fmt: skip
    day.objects.bulk_create(rows, batch_size=5000)
    return len(rows)


@transaction.atomic
def donation_record(
    *,
    actor: Any,
    member: Member,
    amount: Any,
    channel: str,
    receipt_no: str = "",
    on: dt.date | None = None,
    note: str = "",
    recount: bool = True,
) -> Donation:
    """One donation a branch received from its member. Above the suggested amount of the
    policy in force that day: accepted, flagged. The branch's day totals are recounted
    (`recount=False`: the caller recounts once for many, in the same transaction)."""
    ensure_visible(member, actor, field="member")
    if not member.active:
        raise invalid("member", _("此人已不在册"), "inactive")
    value = parse_amount(amount)
    if channel not in Channel.values:
        raise invalid("channel", _("方式应为现金、转账或银行"), "invalid_choice")
    receipt_no = receipt_no.strip()
    if len(receipt_no) > 40:
        raise invalid("receipt_no", _("收据号不能超过 40 个字符"), "too_long")
    if len(note) > 200:
        raise invalid("note", _("备注不能超过 200 个字"), "too_long")
    day = checked_day(on, "on")
    suggested = donation_suggested_max_on(day)
    branch = _lock(member.branch)
    if (
        receipt_no
        and Donation.objects.filter(
            branch=branch, receipt_no=receipt_no, reverses__isnull=True, reversed=False
        ).exists()
    ):
        raise Conflict(
            "receipt_no",
            _("收据号 / 流水号“%(no)s”已登记过") % {"no": receipt_no},
            code="duplicate_receipt",
        )
    try:
        with transaction.atomic():
            donation = Donation.objects.create(
                branch=branch,
                member=member,
                amount_fen=to_fen(value),
                channel=channel,
                receipt_no=receipt_no,
                on=day,
                suggested_fen=to_fen(suggested),
                above_suggested=value > suggested,
                note=note.strip(),
                by=actor,
            )
    except IntegrityError:  # the same receipt booked a moment ago by someone else
        raise Conflict(
            "receipt_no",
            _("收据号 / 流水号“%(no)s”已登记过") % {"no": receipt_no},
            code="duplicate_receipt",
        ) from None
    if recount:
        branch_days_rebuild([branch.pk])
    figures_touched.send(sender=Donation, areas=[branch.area_id], on=day)
    _audit(actor, donation, branch.area, f"donation {yuan(value)}")
    return donation


@transaction.atomic
def donation_reverse(*, actor: Any, donation: Donation, note: str) -> Donation:
    """Undo a donation by a reversing entry (its negative), once; only out of what the
    branch still holds (money passed up already comes back down first)."""
    ensure_visible(donation, actor)
    if not note.strip():
        raise invalid("note", _("请写明冲销原因"), "required")
    branch = _lock(donation.branch)
    donation = Donation.objects.select_for_update().get(pk=donation.pk)
    if donation.reverses_id is not None:
        raise Conflict("donation", _("冲销记录不能再冲销"), code="is_reversal")
    if donation.reversed:
        raise Conflict("donation", _("这笔捐款已经冲销过了"), code="reversed")
    held = org_position(branch).held
    if held < donation.amount:
        raise Conflict(
            "donation",
            _("本支部结存 %(held)s 元，不足以冲销 %(amount)s 元（已上缴的部分不能在这里冲销）")
            % {"held": yuan(held), "amount": yuan(donation.amount)},
            code="insufficient_held",
            held=yuan(held),
        )
    reversal = Donation.objects.create(
        branch=branch,
        member=donation.member,
        amount_fen=-donation.amount_fen,
        channel=donation.channel,
        receipt_no=donation.receipt_no,
        on=donation.on,  # the day's figures are shown as corrected
        suggested_fen=donation.suggested_fen,
        above_suggested=False,
        reverses=donation,
        note=note.strip()[:200],
        by=actor,
    )
    Donation.objects.filter(pk=donation.pk).update(reversed=True)
    branch_days_rebuild([branch.pk])
    figures_touched.send(sender=Donation, areas=[branch.area_id], on=donation.on)
    _audit(actor, reversal, branch.area, f"donation {donation.pk} reversed")
    return reversal


@transaction.atomic
def remittance_send(
    *,
    actor: Any,
    org: Organisation,
    amount: Any,
    sent_on: dt.date | None = None,
    note: str = "",
) -> Remittance:
    """`org` passes `amount` up to its parent in one batch (at most what it holds)."""
    ensure_visible(org, actor, field="org")
    value = parse_amount(amount)
    if org.parent_id is None:
        raise invalid("org", _("最上级党组织没有可上缴的上级"), "no_parent")
    org = _lock(org)
    parent_id = org.parent_id
    assert parent_id is not None
    held = org_position(org).held
    if value > held:
        raise Conflict(
            "amount",
            _("结存只有 %(held)s 元，不能上缴 %(amount)s 元")
            % {"held": yuan(held), "amount": yuan(value)},
            code="insufficient_held",
            held=yuan(held),
        )
    batch = Remittance.objects.create(
        number=f"~{timezone.now().timestamp()}",
        from_org=org,
        to_org_id=parent_id,
        amount_fen=to_fen(value),
        sent_on=checked_day(sent_on, "sent_on"),
        sent_by=actor,
        note=note.strip()[:200],
    )
    batch.number = f"SJ{batch.sent_on:%Y%m%d}-{batch.pk:06d}"
    batch.save(update_fields=["number"])
    _audit(actor, batch, org.area, f"remittance {batch.number} sent {yuan(value)}")
    return batch


@transaction.atomic
def remittance_receive(
    *,
    actor: Any,
    remittance: Remittance,
    received_amount: Any = None,
    received_on: dt.date | None = None,
    note: str = "",
) -> Remittance:
    """The level above records the batch received, with the amount counted (default: the
    amount sent). Received once: a second receipt is refused (409)."""
    ensure_visible(remittance.to_org, actor)
    value = (
        remittance.amount
        if received_amount is None
        else parse_amount(received_amount, "received_amount", allow_zero=True)
    )
    day = checked_day(received_on, "received_on")
    if day < remittance.sent_on:
        raise invalid("received_on", _("接收日期不能早于上缴日期"), "before_sent")
    rows = Remittance.objects.filter(pk=remittance.pk, received_at__isnull=True).update(
        received_fen=to_fen(value),
        received_on=day,
        received_by=actor,
        received_at=timezone.now(),
        received_note=note.strip()[:200],
    )
    if rows == 0:
        raise Conflict("remittance", _("这一批已经接收过了"), code="already_received")
    remittance.refresh_from_db()
    _audit(
        actor,
        remittance,
        remittance.to_org.area,
        f"remittance {remittance.number} received {yuan(value)}",
    )
    return remittance
