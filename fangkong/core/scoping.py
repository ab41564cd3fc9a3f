"""Territorial responsibility (属地责任) in one place.

Every page, API view, export and report reaches scoped records through
`ScopedQuerySet.visible_to(user)` or `get_visible_or_404(...)`. A model opts in by using
a `ScopedQuerySet` manager and naming the lookup that leads to its Area in
`scope_field` ("" for Area itself, "area" for a direct foreign key, "residence__area" …).
A record that belongs to two jurisdictions at once (a person handed from one community to
another) names both in `scope_fields`; it is visible from either. An account that acts for
units (a unit contact) sees, of the models that name the lookup to their unit in
`unit_scope`, only the records of the units it is the contact of.
"""

from __future__ import annotations

from typing import Any, Self, TypeVar

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db import connections, models
from django.http import Http404
from django.utils.translation import gettext as _

from fangkong.core.errors import invalid

_M = TypeVar("_M", bound=models.Model)


def _path_fields(model: type[models.Model]) -> tuple[str, ...]:
    fields = getattr(model, "scope_fields", None)
    if fields is None:
        field = getattr(model, "scope_field", None)
        if field is None:
            raise TypeError(f"{model.__name__} has no scope_field; it cannot be scoped")
        fields = (field,)
    return tuple(f"{field}__path" if field else "path" for field in fields)


def subtree_q(path_field: str, path: str, *, using: str = "default") -> models.Q:
    """Rows whose materialised path lies under `path` (which ends with "/").

    PostgreSQL: a prefix LIKE, served by the varchar_pattern_ops index Django adds.
    SQLite: LIKE is case-insensitive there and skips the index, so use the equivalent
    range [path, path-with-"/"-bumped-to-"0"), which the ordinary index serves."""
    if connections[using].vendor == "sqlite":
        upper = path[:-1] + chr(ord(path[-1]) + 1)
        return models.Q(**{f"{path_field}__gte": path, f"{path_field}__lt": upper})
    return models.Q(**{f"{path_field}__startswith": path})


def scope_filter(model: type[models.Model], user: Any) -> models.Q | None:
    """The Q that limits `model` to what `user` may see; None means "everything"."""
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return models.Q(pk__in=[])
    if user.sees_everything:
        return None
    if user.area_id is None:
        return models.Q(pk__in=[])
    first, *others = (subtree_q(field, user.area.path) for field in _path_fields(model))
    for other in others:
        first |= other
    unit = getattr(model, "unit_scope", None)
    if unit is not None and getattr(user, "acts_for_units", False):
        first &= models.Q(**{f"{unit}__contact_account" if unit else "contact_account": user})
    return first


class ScopedQuerySet(models.QuerySet[_M]):
    def visible_to(self, user: Any) -> Self:
        condition = scope_filter(self.model, user)
        return self if condition is None else self.filter(condition)


def get_visible_or_404(queryset: models.QuerySet[_M] | type[_M], user: Any, **lookup: Any) -> _M:
    """One object the user may see, or 404 — the same answer as for an object that does
    not exist, so the response tells nothing about other jurisdictions."""
    qs = queryset._default_manager.all() if isinstance(queryset, type) else queryset
    condition = scope_filter(qs.model, user)
    if condition is not None:
        qs = qs.filter(condition)
    try:
        return qs.get(**lookup)
    except (ObjectDoesNotExist, ValueError, TypeError):
        raise Http404("not found") from None


def is_visible(obj: models.Model, user: Any) -> bool:
    """Whether `user` may see `obj` (one indexed query)."""
    condition = scope_filter(type(obj), user)
    qs = type(obj)._default_manager.filter(pk=obj.pk)
    return condition is None or qs.filter(condition).exists()


def ensure_visible(obj: models.Model, user: Any, *, field: str | None = None) -> None:
    """Services re-check territory: a page or API answered 404 already, and a caller that
    skipped that gets a clear refusal rather than a quiet write in another jurisdiction.
    With `field`, the object was the caller's choice in a form or body (an area, a
    landlord): a ValidationError naming that field; without, PermissionDenied."""
    if is_visible(obj, user):
        return
    if field is not None:
        raise invalid(field, _("“%(obj)s”不在您的管辖范围内") % {"obj": obj}, "out_of_scope")
    raise PermissionDenied(
        _("%(verbose_name)s不在您的管辖范围内") % {"verbose_name": obj._meta.verbose_name}
    )
