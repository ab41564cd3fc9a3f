"""The usual protective supplies, so that a new site can record stock at once."""

from django.db import migrations

ITEMS = [
    ("口罩", "片", 10),
    ("医用外科口罩", "盒", 11),
    ("一次性手套", "副", 20),
    ("消毒液", "瓶", 30),
    ("75%酒精", "瓶", 31),
    ("额温枪", "把", 40),
    ("防护服", "套", 50),
]


def add_items(apps, schema_editor):  # type: ignore[no-untyped-def]
    Item = apps.get_model("supplies", "Item")
    for name, unit, order in ITEMS:
        Item.objects.get_or_create(name=name, defaults={"unit": unit, "order": order})


class Migration(migrations.Migration):
    dependencies = [("supplies", "0001_ledger")]
    operations = [migrations.RunPython(add_items, migrations.RunPython.noop)]
