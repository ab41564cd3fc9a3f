"""Where an unannounced arrival can be registered from, besides what a worker knows: an
app above arrivals declares an `ArrivalSource` (access: the gate referral, registered in
its AppConfig.ready()) and the unannounced form, opened as
/arrivals/unannounced/new/?<param>=<id>, starts from what that object knows and registers
through it. Arrivals imports nothing of the apps that declare sources."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from fangkong.arrivals.models import ArrivalNotice
from fangkong.registry.models import Person


@dataclass(frozen=True)
class ArrivalSource:
    # The query parameter of the unannounced form this source answers, e.g. "referral".
    param: str
    # (user, id) → the object, if it exists and the user may see it; None answers 404.
    load: Callable[[Any, int], Any | None]
    # The object → the form's initial values (field name → value).
    initial: Callable[[Any], dict[str, Any]]
    # The object → the registered person whose full record the initial values show (their
    # document and phone): that read is audited with `audit_detail`. None: nobody's.
    shown_person: Callable[[Any], Person | None]
    audit_detail: str
    # The object → the line shown above the form.
    banner: Callable[[Any], str]
    # register(actor=…, source=the object, **registration) → the notice: calls
    # arrivals.notices.services.unannounced_register with `registration` inside its own
    # transaction, together with what the source itself records.
    register: Callable[..., ArrivalNotice]


_SOURCES: dict[str, ArrivalSource] = {}


def arrival_source_register(source: ArrivalSource) -> None:
    """Add a source (again, under the same parameter: replace it)."""
    _SOURCES[source.param] = source


def arrival_sources() -> tuple[ArrivalSource, ...]:
    return tuple(_SOURCES.values())
