"""Token authentication for the gate-check hot path, cached in the process.

DRF's TokenAuthentication reads the token table on every request; at a gate in the
morning rush that is one round trip of three for nothing new. Here a token, its user and
the user's area path stay in memory for `TOKEN_TTL` seconds. The price, accepted and
documented: a token deleted or an account deactivated keeps working at the gates of that
process for at most `TOKEN_TTL` seconds.
"""

from __future__ import annotations

import threading
import time
from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.drainage import set_override
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token

TOKEN_TTL = 30.0
_MAX_ENTRIES = 10_000

_lock = threading.Lock()
_tokens: dict[str, tuple[float, Any, Token]] = {}
_paths: dict[int, tuple[float, str | None]] = {}


class CachedTokenAuthentication(TokenAuthentication):
    def authenticate_credentials(self, key: str) -> tuple[Any, Token]:
        now = time.monotonic()
        hit = _tokens.get(key)
        if hit is not None and hit[0] > now:
            return hit[1], hit[2]
        try:
            token = Token.objects.select_related("user", "user__area").get(key=key)
        except Token.DoesNotExist:
            raise exceptions.AuthenticationFailed(_("令牌无效")) from None
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("账号已停用"))
        with _lock:
            if len(_tokens) >= _MAX_ENTRIES:
                _tokens.clear()
            _tokens[key] = (now + TOKEN_TTL, token.user, token)
        return token.user, token


# The same scheme as DRF's own (Authorization: Token …): one component in the schema.
set_override(CachedTokenAuthentication, "suppress_collision_warning", True)


def scope_path(user: Any) -> str | None:
    """The area path an account acts under (None: everything), cached per user id for
    `TOKEN_TTL` seconds: a session-authenticated phone does not read its area per scan."""
    if user.sees_everything:
        return None
    now = time.monotonic()
    hit = _paths.get(user.pk)
    if hit is not None and hit[0] > now:
        return hit[1]
    path = user.area.path if user.area_id is not None else "\x00"  # matches no area
    with _lock:
        if len(_paths) >= _MAX_ENTRIES:
            _paths.clear()
        _paths[user.pk] = (now + TOKEN_TTL, path)
    return path


def cache_clear() -> None:
    with _lock:
        _tokens.clear()
        _paths.clear()
