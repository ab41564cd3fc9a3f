"""The usual protective supplies, so that a new site can record stock at once."""

from django.db import migrations

from fangkong.supplies.models import STANDARD_ITEMS as ITEMS  # plain data, no model


def add_items(apps, schema_editor):  # type: ignore[no-untyped-def]
    Item = apps.get_model("supplies", "Item")
    for name, unit, order in ITEMS:
        Item.objects.get_or_create(name=name, defaults={"unit": unit, "order": order})


class Migration(migrations.Migration):
    dependencies = [("supplies", "0001_ledger")]
    operations = [migrations.RunPython(add_items, migrations.RunPython.noop)]
