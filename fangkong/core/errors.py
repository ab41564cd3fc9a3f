"""Domain errors raised by services and mapped to HTTP in one place (core.api)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError


def invalid(field: str, reason: str, code: str = "invalid") -> ValidationError:
    """A ValidationError that names its field: services raise these for bad input."""
    return ValidationError({field: ValidationError(reason, code=code)})


class Conflict(Exception):
    """The write would duplicate something that exists; carries the existing record's id."""

    status_code = 409

    def __init__(self, field: str, reason: str, *, code: str = "conflict", **extra: Any):
        super().__init__(reason)
        self.field = field
        self.reason = reason
        self.code = code
        self.extra = extra
