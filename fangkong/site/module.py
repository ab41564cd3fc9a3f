"""The site's own entries: the home page, and `fangkong daily` every night."""

from __future__ import annotations

from celery.schedules import crontab
from django.utils.translation import gettext_noop

from fangkong.core.modules import MenuEntry, Module

MODULE = Module(
    app="site",
    menu=(MenuEntry(gettext_noop("首页"), "site:home", None, order=0),),
    urls="fangkong.site.urls",
    periodic_tasks={
        # The daily jobs ten minutes after midnight, local time.
        "site-daily": {"task": "site.daily", "schedule": crontab(hour=0, minute=10)},
    },
)
