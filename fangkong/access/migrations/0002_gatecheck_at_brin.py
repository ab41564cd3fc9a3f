"""A BRIN index on the gate log's time, PostgreSQL only: the daily figures count a whole
day of checks across every gate, which neither (gate, at) nor (area, at) serves. The log
is written in time order, so a block-range index is tiny and costs the hot path almost
nothing. SQLite (a community) scans its small log instead."""

from django.db import migrations


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS gatecheck_at_brin ON access_gatecheck USING brin (at)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS gatecheck_at_brin")


class Migration(migrations.Migration):
    dependencies = [("access", "0001_initial")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
