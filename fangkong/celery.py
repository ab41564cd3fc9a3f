"""Celery: a worker on Redis in production (FANGKONG_REDIS_URL); without Redis, tasks run
in-process (CELERY_TASK_ALWAYS_EAGER) so the demo needs nothing else."""

from __future__ import annotations

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fangkong.settings")

app = Celery("fangkong")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
