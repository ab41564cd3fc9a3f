"""Demo supplies: the stores of 宛平城社区 and 镇国寺社区 and of every duty post that exists
when the demo runs (none is fine), the street's delivery yesterday afternoon, the posts'
share moved to them, this morning's hand-outs — and 镇国寺's protective suits below their
line (10 套 left, 12 wanted: it disinfects every day).

Idempotent: a store that has movements already gets nothing more. Everything goes
through the services, as a worker's phone would write it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from fangkong.accounts.models import User
from fangkong.areas.models import Area
from fangkong.core.scoping import is_visible
from fangkong.duty.models import Post
from fangkong.supplies import services
from fangkong.supplies.models import Item, ReceiptSource, Store

COMMUNITIES = [  # code, worker, the street's delivery {item: quantity}, minimums
    (
        "110106014001",
        "wanping_worker",
        {"口罩": 2000, "一次性手套": 1000, "消毒液": 60, "75%酒精": 40, "额温枪": 8, "防护服": 20},
        {"口罩": 500, "一次性手套": 300, "消毒液": 20, "75%酒精": 10, "额温枪": 2, "防护服": 4},
    ),
    (
        "110106015001",
        "zhenguosi_worker",
        {"口罩": 1000, "一次性手套": 600, "消毒液": 80, "75%酒精": 30, "额温枪": 4, "防护服": 10},
        {"口罩": 300, "一次性手套": 200, "消毒液": 30, "75%酒精": 10, "额温枪": 1, "防护服": 12},
    ),
]
TO_POST = {"口罩": 200, "一次性手套": 100, "消毒液": 4}  # each post's share
POST_MINIMUM = {"口罩": 100, "一次性手套": 50}
MORNING_HANDOUT = {"口罩": 48, "一次性手套": 24}  # three shifts' worth at a post


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


@transaction.atomic
def load_demo() -> str:
    items = {item.name: item for item in services.items_standard()}
    now = timezone.localtime()
    morning = now.date() if now.hour >= 9 else now.date() - dt.timedelta(days=1)
    yesterday = morning - dt.timedelta(days=1)
    stores = moved = 0
    for code, username, delivery, minimums in COMMUNITIES:
        area = Area.objects.filter(code=code).first()
        worker = User.objects.filter(username=username).first()
        if area is None or worker is None:
            continue
        main = services.store_create(actor=worker, area=area)
        stores += 1
        if not main.movements.exists():
            for name, quantity in delivery.items():
                services.receipt_record(
                    actor=worker, store=main, item=items[name], quantity=quantity,
                    source=ReceiptSource.STREET, note="街道下发", at=_at(yesterday, 15),
                )  # fmt: skip
                moved += 1
            for name, minimum in minimums.items():
                services.minimum_set(actor=worker, store=main, item=items[name], minimum=minimum)
        posts = [p for p in Post.objects.filter(active=True) if is_visible(p, worker)]
        for i, post in enumerate(posts):
            moved += _post_store(worker, main, post, items, yesterday, morning, i)
            stores += 1
        # No posts yet: this morning's hand-outs go to the community's own workers.
        if not posts and not main.movements.filter(kind="handout").exists():
            for name, quantity in MORNING_HANDOUT.items():
                services.handout_record(
                    actor=worker, store=main, item=items[name], quantity=quantity // 2,
                    to_account=worker, note="入户走访", at=_at(morning, 8),
                )  # fmt: skip
                moved += 1
    return f"supplies: {stores} stores, {moved} movements"


def _post_store(
    worker: Any,
    main: Store,
    post: Post,
    items: dict[str, Item],
    yesterday: dt.date,
    morning: dt.date,
    i: int,
) -> int:
    store = services.store_create(actor=worker, post=post)
    if store.movements.exists():
        return 0
    n = 0
    for name, quantity in TO_POST.items():
        services.transfer_record(
            actor=worker, store=main, to_store=store, item=items[name], quantity=quantity,
            at=_at(yesterday, 16, i),
        )  # fmt: skip
        n += 1
    for name, minimum in POST_MINIMUM.items():
        services.minimum_set(actor=worker, store=store, item=items[name], minimum=minimum)
    for name, quantity in MORNING_HANDOUT.items():
        services.handout_record(
            actor=worker, store=store, item=items[name], quantity=quantity, to_post=post,
            note="早班领用", at=_at(morning, 7, 30 + i),
        )  # fmt: skip
        n += 1
    return n
