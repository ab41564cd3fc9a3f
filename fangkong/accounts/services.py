from __future__ import annotations

from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from fangkong.accounts.models import User
from fangkong.accounts.roles import Role
from fangkong.core.errors import invalid


@transaction.atomic
def account_upsert(
    *, username: str, role: str, area: Any, password: str, first_name: str = ""
) -> User:
    """Create or update an account bound to one area and one role."""
    if role not in Role.values:
        raise invalid("role", _("未知角色“%(role)s”") % {"role": role}, "unknown_role")
    if area is None and role != Role.SYSTEM_ADMIN:
        raise invalid("area", _("除系统管理员外，每个账号都必须属于一个区域"), "required")
    user = User.objects.filter(username=username).first() or User(username=username)
    user.role = role
    user.area = area
    user.first_name = first_name
    user.is_staff = role == Role.SYSTEM_ADMIN
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise invalid("password", " ".join(exc.messages), "weak_password") from None
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    return user
