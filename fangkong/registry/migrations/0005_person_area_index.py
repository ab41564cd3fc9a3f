"""Person.area without its own index: the (area, whereabouts) index serves every lookup
by area, and each extra index slows down every insert of an import. Only the index is
dropped (AlterField would drop and re-add the foreign key, checking every row again)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("areas", "0001_initial"),
        ("registry", "0004_person_phone_index"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="person",
                    name="area",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="people",
                        to="areas.area",
                        verbose_name="登记区域",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "registry_person_area_id_5f65e8aa"',
                    reverse_sql='CREATE INDEX "registry_person_area_id_5f65e8aa" '
                    'ON "registry_person" ("area_id")',
                ),
            ],
        ),
    ]
