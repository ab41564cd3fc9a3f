"""The kernel's one page: the health check (fangkong.core.modules)."""

from __future__ import annotations

from fangkong.core.modules import Module

MODULE = Module(app="core", urls="fangkong.core.urls")
