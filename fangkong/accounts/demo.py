from __future__ import annotations

import secrets

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from fangkong.accounts.models import User
from fangkong.accounts.roles import Role
from fangkong.accounts.services import account_upsert
from fangkong.areas.models import Area

# user name, role, area code (None: the whole tree), display name
DEMO_ACCOUNTS: list[tuple[str, str, str | None, str]] = [
    ("fengtai_officer", Role.DISTRICT_OFFICER, "110106", "丰台区防控办"),
    ("wanping_officer", Role.STREET_OFFICER, "110106014", "宛平城地区办事处"),
    ("wanping_worker", Role.COMMUNITY_WORKER, "110106014001", "冯佳（宛平城社区）"),
    ("zhenguosi_worker", Role.COMMUNITY_WORKER, "110106015001", "郑凤莲（镇国寺社区）"),
    ("wanping_medic", Role.MEDICAL_STAFF, "110106014001", "下沉医务人员"),
    ("zhenguosi_medic", Role.MEDICAL_STAFF, "110106015001", "镇国寺社区卫生服务站"),
    ("wanping_police", Role.POLICE_OFFICER, "110106014001", "管片民警"),
    ("chengnei_guard", Role.GATE_GUARD, "110106014001Z1", "城内街志愿服务岗"),
    ("wang_ying", Role.CADRE, "110106015001", "王颖（下沉干部）"),
    ("wanping_unit", Role.UNIT_CONTACT, "110106014001", "地铁16号线施工单位"),
    ("nanfangzhuang_treasurer", Role.PARTY_TREASURER, "110106007001", "南方庄社区党委"),
    ("admin", Role.SYSTEM_ADMIN, None, "系统管理员"),
]


def demo_password(username: str = "", display: str = "") -> str:
    """18 characters from a CSPRNG: the 12-character rule and the common-list check pass.
    A random draw can still look too much like the account's name to Django's similarity
    check (rarely, but the demo draws one for every account on every run): draw again."""
    candidate = User(username=username, first_name=display)
    while True:
        password = secrets.token_urlsafe(14)
        try:
            validate_password(password, user=candidate)
        except ValidationError:
            continue
        return password


def load_demo_accounts() -> list[tuple[User, str]]:
    """Create (or reset) one account per role; returns each with its new password."""
    out = []
    for username, role, code, display in DEMO_ACCOUNTS:
        area = Area.objects.get(code=code) if code else None
        password = demo_password(username, display)
        user = account_upsert(
            username=username, role=role, area=area, password=password, first_name=display
        )
        if role == Role.SYSTEM_ADMIN:
            User.objects.filter(pk=user.pk).update(is_superuser=True)
        out.append((user, password))
    return out


def load_demo() -> str:
    """The demo's accounts, as `fangkong demo` prints them; also written, readable by the
    owner only, to var/demo-accounts.txt (the passwords change on every run)."""
    accounts = load_demo_accounts()
    width = max(len(user.username) for user, _ in accounts)
    lines = []
    for user, password in accounts:
        where = user.area.name if user.area else "全部辖区"
        lines.append(f"  {user.username:<{width}}  {password}  {user.get_role_display()} · {where}")
    accounts_file = settings.VAR_DIR / "demo-accounts.txt"
    accounts_file.write_text("\n".join(lines) + "\n", encoding="utf-8")
    accounts_file.chmod(0o600)
    return "\n".join(
        [
            "demo accounts (new passwords on every run):",
            *lines,
            f"(also written to {accounts_file})",
        ]
    )
