"""The person table's indexes, kept few and small because an import writes 100,000 rows
into them. Migration 0006: blind indexes written at 256 bits are cut to the 128 bits that
blind_index() now returns, so people registered before are still found by document and
phone; on PostgreSQL the phone index is a hash index. Migration 0007: the optional links
are indexed only where set."""

from __future__ import annotations

import importlib

import pytest
from django.conf import settings
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from fangkong.registry.people.selectors import people_find_by_phone
from fangkong.registry.people.services import people_find_by_document
from tests.conftest import WANPING, World
from tests.factories import full_keyed_hash, valid_id

DROPPED = importlib.import_module(
    "fangkong.registry.migrations.0007_partial_indexes_for_optional_links"
).DROPPED
BEFORE = [("registry", "0005_person_area_index")]
AFTER = [("registry", "0006_blind_index_128_bits")]


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("migrations_restored")
def test_people_stored_with_256_bit_indexes_are_found_after_it(world: World) -> None:
    number, phone = valid_id(), "+8613912340006"
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps.get_model("registry", "Person")
    person = old.objects.create(
        area_id=world.areas[WANPING].pk,
        name="旧人员",
        document_type="resident_id",
        document_index=full_keyed_hash(settings.FIELD_KEY, "doc:resident_id", number),
        phone_index=full_keyed_hash(settings.FIELD_KEY, "phone", phone),
    )
    assert len(person.document_index) == 64

    executor = MigrationExecutor(connection)  # a fresh graph sees 0005 as the last step
    executor.migrate(AFTER)

    found = people_find_by_document(
        actor=world.wanping_worker, document_type="resident_id", number=number
    )
    assert list(found.values_list("pk", flat=True)) == [person.pk]
    by_phone = people_find_by_phone(actor=world.wanping_worker, phone="13912340006")
    assert list(by_phone.values_list("pk", flat=True)) == [person.pk]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'person_phone_hash'")
            assert "USING hash (phone_index)" in cursor.fetchone()[0]


PARTIAL = {
    "registry_person": ("person_employer_set", "person_merged_into_set", "person_created_by_set"),
    "registry_residence": ("residence_landlord_set",),
}


@pytest.mark.django_db
def test_optional_links_are_indexed_only_where_set() -> None:
    with connection.cursor() as cursor:
        for table, names in PARTIAL.items():
            indexes = connection.introspection.get_constraints(cursor, table)
            assert set(names) <= indexes.keys()
            # The full indexes Django made for these foreign keys are gone.
            assert not set(DROPPED) & indexes.keys()
            if connection.vendor == "postgresql":
                cursor.execute(
                    "SELECT indexname, indexdef FROM pg_indexes WHERE indexname = ANY(%s)",
                    [list(names)],
                )
                for name, definition in cursor.fetchall():
                    assert definition.endswith("IS NOT NULL)"), name
