from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from fangkong.contacts.services import call_reveal


@never_cache
@require_POST
@login_required
def call(request: HttpRequest, subject: str, pk: int) -> HttpResponse:
    """拨打: reveal the number for this task (audited) and hand it to the phone's dialler.
    The page opens tel: at once; its link stays for a second try."""
    dial = call_reveal(actor=request.user, subject=subject, pk=pk, request=request)
    back = request.POST.get("next", "")
    return render(
        request,
        "contacts/call.html",
        {"dial": dial, "back": back if back.startswith("/") and not back.startswith("//") else ""},
    )
