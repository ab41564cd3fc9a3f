"""Seed the 2020 rules from the source document, so every database starts with them."""

from django.db import migrations


def seed(apps, schema_editor):
    from fangkong.policy.services import POLICY_2020, RULES_2020

    PolicyVersion = apps.get_model("policy", "PolicyVersion")
    OriginRule = apps.get_model("policy", "OriginRule")
    if PolicyVersion.objects.filter(effective_from=POLICY_2020["effective_from"]).exists():
        return
    policy = PolicyVersion.objects.create(**POLICY_2020)
    for code, name, risk in RULES_2020:
        OriginRule.objects.create(policy=policy, region_code=code, region_name=name,
                                  risk=str(risk))


class Migration(migrations.Migration):
    dependencies = [("policy", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
