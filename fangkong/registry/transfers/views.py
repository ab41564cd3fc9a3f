"""Handover pages: the lists by side, the request, and the answers."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from fangkong.core.errors import Conflict
from fangkong.core.forms import put_errors
from fangkong.core.scoping import get_visible_or_404
from fangkong.core.views import capability_required
from fangkong.registry.models import Transfer
from fangkong.registry.module import RegistryCapability
from fangkong.registry.transfers import services
from fangkong.registry.transfers.forms import TransferForm
from fangkong.registry.transfers.selectors import INCOMING, STATES, sees_person, transfers_list


@capability_required(RegistryCapability.VIEW)
def transfer_list(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    state = request.GET.get("state", INCOMING)
    if state not in STATES:
        state = INCOMING
    page = Paginator(transfers_list(user=user, state=state), 50).get_page(request.GET.get("page"))
    for transfer in page:
        # The asking side learns who it is only once the holder has agreed.
        transfer.holder_side = sees_person(user, transfer)  # type: ignore[attr-defined]
    counts = {s: transfers_list(user=user, state=s).count() for s in (INCOMING, "outgoing")}
    return render(
        request,
        "registry/transfer_list.html",
        {
            "page": page,
            "state": state,
            "counts": counts,
            "can_change": user.can(RegistryCapability.CHANGE),
        },
    )


@capability_required(RegistryCapability.CHANGE)
def transfer_new(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    form = TransferForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.transfer_request(
                actor=user,
                document_type=data["document_type"],
                document_number=data["document_number"],
                to_area=data["to_area"],
                reason=data["reason"],
                home={k: data[k] for k in ("building", "entrance", "room", "kind")},
            )
        except ValidationError as exc:
            put_errors(form, exc)
        except Conflict as exc:
            form.add_error(exc.field, exc.reason)
        else:
            messages.success(request, gettext("已申请转入，等原登记社区答复"))
            return redirect(reverse("registry:transfers") + "?state=outgoing")
    return render(request, "registry/transfer_form.html", {"form": form})


ACTIONS = ("accept", "refuse", "cancel")


@require_POST
@capability_required(RegistryCapability.CHANGE)
def transfer_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    user: Any = request.user
    transfer = get_visible_or_404(
        Transfer.objects.select_related("person", "from_area", "to_area"), user, pk=pk
    )
    try:
        if action == "accept":
            services.transfer_accept(actor=user, transfer=transfer)
            messages.success(
                request,
                gettext("已同意，%(name)s 已转到 %(area)s")
                % {"name": transfer.person.name, "area": transfer.to_area.name},
            )
        elif action == "refuse":
            services.transfer_refuse(
                actor=user, transfer=transfer, answer=request.POST.get("answer", "")
            )
            messages.success(request, gettext("已答复不同意"))
        else:
            services.transfer_cancel(actor=user, transfer=transfer)
            messages.success(request, gettext("已撤回转交申请"))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except Conflict as exc:
        messages.error(request, exc.reason)
    return redirect(reverse("registry:transfers") + f"?state={_back(request)}")


def _back(request: HttpRequest) -> str:
    state = request.POST.get("state", INCOMING)
    return state if state in STATES else INCOMING
