"""Background work for the registry. Tasks take ids and only call services; they are
queued with transaction.on_commit by the services, so a worker never looks for a row
that is not committed yet."""

from __future__ import annotations

from fangkong.celery import app
from fangkong.registry.imports import import_apply, import_validate
from fangkong.registry.models import ImportJob


@app.task(name="registry.import_validate")
def import_validate_task(job_id: int) -> str:
    job = ImportJob.objects.select_related("area", "created_by__area").filter(pk=job_id).first()
    if job is None:
        return "missing"
    return str(import_validate(job=job).status)


@app.task(name="registry.import_apply")
def import_apply_task(job_id: int) -> str:
    job = ImportJob.objects.select_related("area", "created_by__area").filter(pk=job_id).first()
    if job is None:
        return "missing"
    return str(import_apply(job=job).status)
