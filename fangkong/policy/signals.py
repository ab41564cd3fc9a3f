"""Policy's events for the apps above it, which keep rules of their own per version
(access: which visitors are admitted)."""

from __future__ import annotations

from django.dispatch import Signal

# A draft was made from `source`: copy your rows of `source` to `draft`.
policy_drafted = Signal()
