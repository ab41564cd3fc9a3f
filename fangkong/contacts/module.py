"""Calls (拨打): where a task needs a phone call, the number is revealed for that task only,
recorded in the audit log with the task as the reason (fangkong.core.modules)."""

from __future__ import annotations

from fangkong.core.modules import Module

MODULE = Module(app="contacts", urls="fangkong.contacts.urls", url_prefix="contacts/")
