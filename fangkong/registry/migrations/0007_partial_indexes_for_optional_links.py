"""Partial indexes for the optional links (a person's employer, merged_into, created_by;
a residence's landlord): only rows that have one are indexed. Only the old indexes are
dropped (AlterField would drop and re-add each foreign key, checking every row again)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

DROPPED = {
    "registry_person_created_by_id_193d8b6e": ("registry_person", "created_by_id"),
    "registry_person_employer_id_d2984a7c": ("registry_person", "employer_id"),
    "registry_person_merged_into_id_729f6004": ("registry_person", "merged_into_id"),
    "registry_residence_landlord_id_9e8863e4": ("registry_residence", "landlord_id"),
}


class Migration(migrations.Migration):
    dependencies = [
        ("areas", "0001_initial"),
        ("registry", "0006_blind_index_128_bits"),
        ("units", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="person",
                    name="created_by",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                migrations.AlterField(
                    model_name="person",
                    name="employer",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="employees",
                        to="units.unit",
                        verbose_name="工作单位",
                    ),
                ),
                migrations.AlterField(
                    model_name="person",
                    name="merged_into",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="merged_from",
                        to="registry.person",
                        verbose_name="已合并到",
                    ),
                ),
                migrations.AlterField(
                    model_name="residence",
                    name="landlord",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="rented_out",
                        to="registry.person",
                        verbose_name="房东",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    f'DROP INDEX IF EXISTS "{name}"',
                    reverse_sql=f'CREATE INDEX "{name}" ON "{table}" ("{column}")',
                )
                for name, (table, column) in DROPPED.items()
            ],
        ),
        migrations.AddIndex(
            model_name="person",
            index=models.Index(
                condition=models.Q(("employer__isnull", False)),
                fields=["employer"],
                name="person_employer_set",
            ),
        ),
        migrations.AddIndex(
            model_name="person",
            index=models.Index(
                condition=models.Q(("merged_into__isnull", False)),
                fields=["merged_into"],
                name="person_merged_into_set",
            ),
        ),
        migrations.AddIndex(
            model_name="person",
            index=models.Index(
                condition=models.Q(("created_by__isnull", False)),
                fields=["created_by"],
                name="person_created_by_set",
            ),
        ),
        migrations.AddIndex(
            model_name="residence",
            index=models.Index(
                condition=models.Q(("landlord__isnull", False)),
                fields=["landlord"],
                name="residence_landlord_set",
            ),
        ),
    ]
