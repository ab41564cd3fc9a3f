"""Call tasks become one row per person per day: the slot column gives way to `missed`
(上午 / 下午 / 全天), and a day's two slot rows merge into one, keeping the row that has
had work done on it (assignee, attempts, outcome) and summing the tries."""

from django.db import migrations, models


def merge_slots(apps, schema_editor):  # type: ignore[no-untyped-def]
    CallTask = apps.get_model("arrivals", "CallTask")
    CallTask.objects.update(missed=models.F("slot"))
    pairs = (
        CallTask.objects.values("observation_id", "on")
        .annotate(n=models.Count("id"))
        .filter(n__gt=1)
    )
    for pair in pairs.iterator():
        rows = sorted(
            CallTask.objects.filter(observation_id=pair["observation_id"], on=pair["on"]),
            key=lambda t: (t.status != "done", -t.attempts, t.assignee_id is None, t.pk),
        )
        keep, others = rows[0], rows[1:]
        keep.missed = "both"
        keep.attempts = sum(t.attempts for t in rows)
        keep.assignee_id = keep.assignee_id or next(
            (t.assignee_id for t in others if t.assignee_id), None
        )
        keep.save(update_fields=["missed", "attempts", "assignee"])
        CallTask.objects.filter(pk__in=[t.pk for t in others]).delete()
    if schema_editor.connection.vendor == "postgresql":
        # Check the deferred foreign keys now: PostgreSQL refuses to alter a table that
        # still has trigger events pending in the transaction.
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


class Migration(migrations.Migration):
    dependencies = [("arrivals", "0003_call_task_work")]

    operations = [
        migrations.AddField(
            model_name="calltask",
            name="missed",
            field=models.CharField(
                choices=[("morning", "上午"), ("evening", "下午"), ("both", "全天")],
                default="both",
                max_length=8,
                verbose_name="未报时段",
            ),
            preserve_default=False,
        ),
        migrations.RemoveConstraint(model_name="calltask", name="call_task_once_per_slot"),
        migrations.RunPython(merge_slots, migrations.RunPython.noop),
        migrations.RemoveField(model_name="calltask", name="slot"),
        migrations.AddConstraint(
            model_name="calltask",
            constraint=models.UniqueConstraint(
                fields=("observation", "on"), name="call_task_once_per_day"
            ),
        ),
    ]
