"""Login and logout go to the audit log. Signals are used only because Django's auth
emits them; the work itself is the audit service."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from fangkong.audit.models import AuditAction
from fangkong.audit.services import audit_record


@receiver(user_logged_in)
def _logged_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    audit_record(actor=user, action=AuditAction.LOGIN, request=request)


@receiver(user_logged_out)
def _logged_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        audit_record(actor=user, action=AuditAction.LOGOUT, request=request)


@receiver(user_login_failed)
def _login_failed(
    sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any
) -> None:
    # The attempted user name is not personal data of a resident; keep it short.
    name = str(credentials.get("username", ""))[:60]
    audit_record(
        actor=None,
        action=AuditAction.LOGIN_FAILED,
        request=request,
        object_type="accounts.user",
        object_id=name,
    )
