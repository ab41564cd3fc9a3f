"""Demo care at 镇国寺社区 (the seed: 148 isolated, 王颖 of the district 侨联 answers their
calls, “快递、外卖第一时间送达”): this morning's care calls to the first households of
the list (one call a household: the returnees' demo observes whole households, so a call
reaches one of them for all) — most well, some with needs, a few not answered — and a
handful of requests in every state: a resident's medicine request from the phone page
waiting to be taken, a take-away 王颖 took, a delivery done, a rubbish pick-up that could
not be done (why), and one medicine request past its deadline (overdue on the 工作台).

Runs after the returnees' demo (it needs the 148 observations); idempotent: when
镇国寺 has care calls already, nothing is added. Writes go through the services, then the
times are set back to the morning as they happened."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from fangkong.accounts.models import User
from fangkong.arrivals.models import Observation, ObservationStatus
from fangkong.care import services
from fangkong.care.models import CallOutcome, CareCall, CareRequest, RequestKind

ZHENGUOSI = "110106015001"
CALLS_THIS_MORNING = 30  # households
COMMUNITY_WORKERS = 10
NEEDS = ["帮忙取快递", "想点外卖", "降压药快吃完了", "垃圾需要清运", "买些蔬菜"]


def _back(moment: dt.datetime) -> dt.datetime:
    return min(moment, timezone.now())


@transaction.atomic
def load_demo() -> str:
    observations = list(
        Observation.objects.filter(area__code=ZHENGUOSI, status=ObservationStatus.ACTIVE)
        .select_related("person", "area")
        .order_by("pk")
    )
    if not observations:
        return "demo care: no one under observation at 镇国寺 (load the returnees first)"
    if CareCall.objects.filter(observation__area__code=ZHENGUOSI).exists():
        return _summary(created=False)
    users = {
        u.username: u for u in User.objects.filter(username__in=("wang_ying", "zhenguosi_worker"))
    }
    wang_ying, worker = users.get("wang_ying"), users.get("zhenguosi_worker")
    if wang_ying is None or worker is None:
        return "demo care: the demo accounts are missing"
    _colleagues(worker)
    now = timezone.now()
    start = timezone.make_aware(dt.datetime.combine(timezone.localdate(), dt.time(8, 30)))
    homes: dict[object, list[Observation]] = {}
    for observation in observations:
        homes.setdefault(observation.address_id or f"o{observation.pk}", []).append(observation)
    for i, members in enumerate(list(homes.values())[:CALLS_THIS_MORNING]):
        # Whoever of the household answers: the first with a phone.
        observation = next((m for m in members if m.person.phone_masked), members[0])
        by = wang_ying if i % 3 else worker
        outcome = (
            CallOutcome.NO_ANSWER
            if i % 9 == 4
            else CallOutcome.NEEDS
            if i % 7 == 3
            else CallOutcome.WELL
        )
        call = services.call_record(
            actor=by,
            observation=observation,
            outcome=outcome,
            needs=NEEDS[i % len(NEEDS)] if outcome == CallOutcome.NEEDS else "",
            note="体温正常" if outcome != CallOutcome.NO_ANSWER else "",
        )
        CareCall.objects.filter(pk=call.pk).update(at=_back(start + dt.timedelta(minutes=4 * i)))
    called = {m.pk for members in list(homes.values())[:CALLS_THIS_MORNING] for m in members}
    rest = [o for o in observations if o.pk not in called] or observations
    tail = [rest[i % len(rest)] for i in range(5)]
    # The resident's own medicine request, on the phone page, a few minutes ago.
    services.request_raise_by_resident(
        observation=tail[0], kind=RequestKind.MEDICINE, detail="布洛芬、体温计电池"
    )
    # A take-away 王颖 took from a call.
    takeaway = services.request_raise(
        actor=wang_ying, observation=tail[1], kind=RequestKind.TAKEAWAY, detail="午饭外卖放门口"
    )
    services.request_take(actor=wang_ying, request=takeaway)
    # A delivery done this morning.
    delivery = services.request_raise(
        actor=worker, observation=tail[2], kind=RequestKind.DELIVERY, detail="京东快递"
    )
    services.request_close(actor=wang_ying, request=delivery, done=True)
    _set_back(delivery, raised=now - dt.timedelta(hours=3), closed=now - dt.timedelta(hours=2))
    # A rubbish pick-up that could not be done as asked.
    rubbish = services.request_raise(
        actor=worker, observation=tail[3], kind=RequestKind.RUBBISH, detail="大件垃圾"
    )
    services.request_close(
        actor=worker, request=rubbish, done=False, outcome="大件垃圾需物业预约，已告知居民"
    )
    # The overdue one: medicine raised three hours ago, still open.
    overdue = services.request_raise(
        actor=worker, observation=tail[4], kind=RequestKind.MEDICINE, detail="胰岛素"
    )
    _set_back(overdue, raised=now - dt.timedelta(hours=3))
    return _summary(created=True)


def _colleagues(worker: User) -> None:
    """镇国寺's ten community workers (“我们十名社区干部”): 郑凤莲's account and nine more,
    each with a password of its own (nobody logs in with them in the demo; they are whom
    a request can be handed to, and the allocation counts them)."""
    from fangkong.accounts.demo import demo_password
    from fangkong.accounts.roles import Role
    from fangkong.accounts.services import account_upsert

    for n in range(2, COMMUNITY_WORKERS + 1):
        username = f"zhenguosi_worker{n}"
        if not User.objects.filter(username=username).exists():
            account_upsert(
                username=username,
                role=Role.COMMUNITY_WORKER,
                area=worker.area,
                password=demo_password(username),
                first_name=f"镇国寺社区工作者{n}",
            )


def _set_back(
    request: CareRequest, *, raised: dt.datetime, closed: dt.datetime | None = None
) -> None:
    due = services.due_at(request.kind, raised)
    fields: dict[str, object] = {"raised_at": raised, "due_at": due}
    if closed is not None:
        fields.update(closed_at=closed, taken_at=closed)
    CareRequest.objects.filter(pk=request.pk).update(**fields)


def _summary(*, created: bool) -> str:
    calls = CareCall.objects.filter(observation__area__code=ZHENGUOSI, on=timezone.localdate())
    requests = CareRequest.objects.filter(area__code=ZHENGUOSI)
    word = "loaded" if created else "already there"
    households = len(
        {
            ("a", c.observation.address_id) if c.observation.address_id else ("o", c.observation_id)
            for c in calls.select_related("observation")
        }
    )
    return (
        f"demo care ({word}): 镇国寺 today {calls.count()} care calls to {households} "
        "households, "
        f"{requests.count()} requests ({requests.overdue().count()} overdue)"
    )
