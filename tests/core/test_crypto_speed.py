"""The field crypto's cached keys (built once, not per call) change nothing stored: blobs
and keyed hashes written before still decrypt and match, and a changed key is used."""

from __future__ import annotations

from django.test import override_settings

from fangkong.core.crypto import blind_index, decrypt, encrypt, encrypt_many
from tests.factories import full_keyed_hash

KEY = "fangkong-test-key-" + "0123456789" * 3
OTHER_KEY = "another-test-key-" + "9876543210" * 3

# Written by the code before the keys were cached (f87c4b0), with KEY.
OLD_BLOBS = {
    "11010619491231002X": "01bda7c52a111488d97d38288fef51a32546f0b27f11b3ddeabfd5f63736f7384c"
    "7e773f91f1ac77797225fb4db4ea",
    "张三 +8613912345678": "01f499cec91dc5c499a6c94411fc10ec6ea7027bff1954adddb3de8b11ce7f41fc"
    "c1e920a8a9e19384ef13520fa6c52d16b3",
}
OLD_INDEXES = {
    ("doc:resident_id", "11010619491231002X"): (
        "cd2e61f3e34796ec93cd439977c5159e7ae37a1258445def3d4f5c8cb29b4553"
    ),
    ("phone", "+8613912345678"): (
        "f45a580f39cc42334439eeedc530cda5f621142f4b3a02e15a5414ab35747201"
    ),
    ("doc:passport", "E12345678"): (
        "bc05e0b961065bac4917a2078a78ea4e959de16ea983380850efe03de244dcba"
    ),
}


@override_settings(FIELD_KEY=KEY)
def test_it_decrypts_blobs_written_before() -> None:
    for plain, blob in OLD_BLOBS.items():
        assert decrypt(bytes.fromhex(blob)) == plain
        assert decrypt(memoryview(bytes.fromhex(blob))) == plain


@override_settings(FIELD_KEY=KEY)
def test_it_keeps_the_keyed_hashes() -> None:
    # Stored values were cut to their first 32 digits (registry migration 0006).
    for (kind, value), expected in OLD_INDEXES.items():
        assert blind_index(kind, value) == expected[:32]
    for kind, value in (("phone", ""), ("doc:other", "王" * 30), ("doc:x", "A" * 200)):
        assert blind_index(kind, value) == full_keyed_hash(KEY, kind, value)[:32]


@override_settings(FIELD_KEY=KEY)
def test_it_writes_the_same_format() -> None:
    blob = encrypt("110106194912310021")
    assert blob[:1] == b"\x01" and len(blob) == 1 + 12 + 18 + 16
    assert decrypt(blob) == "110106194912310021"
    assert encrypt("110106194912310021")[1:13] != blob[1:13]  # a fresh nonce each time


def test_it_follows_a_changed_key() -> None:
    with override_settings(FIELD_KEY=KEY):
        before = blind_index("phone", "+8613912345678")
        blob = encrypt("+8613912345678")
    with override_settings(FIELD_KEY=OTHER_KEY):
        assert (
            blind_index("phone", "+8613912345678")
            == full_keyed_hash(OTHER_KEY, "phone", "+8613912345678")[:32]
        )
        assert blind_index("phone", "+8613912345678") != before
    with override_settings(FIELD_KEY=KEY):
        assert blind_index("phone", "+8613912345678") == before
        assert decrypt(blob) == "+8613912345678"


@override_settings(FIELD_KEY=KEY)
def test_it_encrypts_a_batch_as_one_by_one_with_a_nonce_each() -> None:
    plains = ["110106194912310021", "+8613912345678", "", "张三"]
    blobs = encrypt_many(plains)
    assert [decrypt(b) for b in blobs] == plains
    assert [len(b) for b in blobs] == [len(encrypt(p)) for p in plains]
    assert all(b[:1] == b"\x01" for b in blobs)
    assert len({b[1:13] for b in blobs}) == len(plains)
    assert encrypt_many([]) == []
