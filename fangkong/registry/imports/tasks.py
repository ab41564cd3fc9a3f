"""Background work of imports. Tasks take ids and only call services; the services queue
them with transaction.on_commit, so a worker never looks for a row that is not committed
yet. Celery finds them through RegistryConfig.ready (its autodiscovery looks only at each
app's top-level tasks module)."""

from __future__ import annotations

from celery import shared_task

from fangkong.registry.imports.selectors import import_job_for_task
from fangkong.registry.imports.services import import_apply, import_validate


@shared_task(name="registry.import_validate")
def import_validate_task(job_id: int) -> str:
    job = import_job_for_task(job_id=job_id)
    if job is None:
        return "missing"
    return str(import_validate(job=job).status)


@shared_task(name="registry.import_apply")
def import_apply_task(job_id: int) -> str:
    job = import_job_for_task(job_id=job_id)
    if job is None:
        return "missing"
    return str(import_apply(job=job).status)
