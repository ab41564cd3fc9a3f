"""Blind indexes of 128 bits (32 hex digits) instead of 256, and a hash index for phones
on PostgreSQL (fangkong.core.crypto.blind_index, fangkong.core.indexes.EqualityIndex).

The stored values are cut to their first 32 digits, which is what blind_index now
returns for the same input. The unique constraint and the phone index are dropped first
and built again after, once, instead of being updated row by row."""

from django.db import migrations, models

import fangkong.core.indexes

TRUNCATE = (
    "UPDATE registry_person SET document_index = SUBSTR(document_index, 1, 32), "
    "phone_index = SUBSTR(phone_index, 1, 32) "
    "WHERE LENGTH(document_index) > 32 OR LENGTH(phone_index) > 32"
)


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0005_person_area_index"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="person", name="person_phone_index"),
        migrations.RemoveConstraint(model_name="person", name="person_one_per_document"),
        # Irreversible: the cut-off digits cannot be recomputed without the key.
        migrations.RunSQL(TRUNCATE, reverse_sql=migrations.RunSQL.noop),
        migrations.AlterField(
            model_name="person",
            name="document_index",
            field=models.CharField(editable=False, max_length=32, null=True),
        ),
        migrations.AlterField(
            model_name="person",
            name="phone_index",
            field=models.CharField(editable=False, max_length=32, null=True),
        ),
        migrations.AddConstraint(
            model_name="person",
            constraint=models.UniqueConstraint(
                condition=models.Q(document_index__isnull=False),
                fields=("document_type", "document_index"),
                name="person_one_per_document",
            ),
        ),
        migrations.AddIndex(
            model_name="person",
            index=fangkong.core.indexes.EqualityIndex(
                fields=["phone_index"], name="person_phone_hash"
            ),
        ),
    ]
