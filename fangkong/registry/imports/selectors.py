"""Reads of import jobs: the jobs of a jurisdiction, and how far a running one has got."""

from __future__ import annotations

from typing import Any

from django.core.cache import cache
from django.db.models import QuerySet

from fangkong.registry.models import ImportJob


def progress_key(job_id: int) -> str:
    """The cache key a running job reports its progress under: while the import writes,
    the job row sits behind the open transaction (Redis in production, so the web process
    sees the worker's progress)."""
    return f"fangkong:import:{job_id}:progress"


def import_progress(*, job: ImportJob) -> int:
    """Rows processed so far, from the running task if it reported, else from the row."""
    if job.is_running:
        value = cache.get(progress_key(job.pk))
        if value is not None:
            return max(int(value[0]), job.processed_rows)
    return job.processed_rows


def import_jobs_recent(*, user: Any) -> QuerySet[ImportJob]:
    """The latest jobs of the user's jurisdiction, newest first (the imports page)."""
    return ImportJob.objects.visible_to(user).select_related("area", "created_by")[:20]


def import_job_for_task(*, job_id: int) -> ImportJob | None:
    """A job by id, with what its services read (its area, its creator's area); None once
    it is gone."""
    return ImportJob.objects.select_related("area", "created_by__area").filter(pk=job_id).first()
