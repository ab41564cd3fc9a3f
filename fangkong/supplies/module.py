"""What protective supplies add to the site (fangkong.core.modules)."""

from __future__ import annotations

from fangkong.core.modules import Module

MODULE = Module(app="supplies")
