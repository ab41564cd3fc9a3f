"""Personal fields at rest: AES-GCM encryption and a keyed hash ("blind index") for exact
lookups, both derived from FANGKONG_FIELD_KEY. The database never holds a document number
or phone in clear, yet "find the person with this ID" stays one indexed equality."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver

_NONCE = 12
_VERSION = b"\x01"  # leading byte: lets a later key rotation tell old blobs from new
_BLOCK = 64  # SHA-256's block size, which HMAC pads its key to


@dataclass(frozen=True, slots=True)
class _Keys:
    """What one master key derives, built once: the cipher, and HMAC-SHA256's inner and
    outer hashes with the key already absorbed (RFC 2104), so a keyed hash costs two
    hash copies instead of a new HMAC object. The values are HMAC's, byte for byte."""

    aead: AESGCM
    inner: Any  # hashlib's sha256 object (its type is private)
    outer: Any
    # kind → the inner hash with "kind NUL" absorbed too, made on first use
    kinds: dict[str, Any] = field(default_factory=dict)


@lru_cache(maxsize=4)
def _derive(master: str) -> _Keys:
    material = HKDF(
        algorithm=hashes.SHA256(), length=64, salt=b"fangkong-fields", info=b"enc+mac"
    ).derive(master.encode())
    mac = material[32:].ljust(_BLOCK, b"\0")
    return _Keys(
        AESGCM(material[:32]),
        hashlib.sha256(bytes(b ^ 0x36 for b in mac)),
        hashlib.sha256(bytes(b ^ 0x5C for b in mac)),
    )


_active: _Keys | None = None  # the keys of settings.FIELD_KEY, read once


def _keys() -> _Keys:
    # An import calls this four times a row: the lazy settings object costs more than
    # the hash itself, so the setting is read once (and again after a test changes it).
    global _active
    if _active is None:
        _active = _derive(settings.FIELD_KEY)
    return _active


@receiver(setting_changed)
def _field_key_changed(*, setting: str, **kwargs: Any) -> None:
    global _active
    if setting == "FIELD_KEY":
        _active = None


def encrypt(plain: str) -> bytes:
    nonce = os.urandom(_NONCE)  # from the OS each time: a nonce must never repeat
    return _VERSION + nonce + _keys().aead.encrypt(nonce, plain.encode(), None)


def encrypt_many(plains: list[str]) -> list[bytes]:
    """encrypt() for each, with the nonces drawn from the OS in one call: an import
    encrypts two values a row, and one system call per chunk costs less than two per
    row. Nothing is kept between calls, so no nonce can be handed out twice (by two
    threads or a forked process)."""
    aead = _keys().aead
    nonces = os.urandom(_NONCE * len(plains))
    out = []
    for i, plain in enumerate(plains):
        nonce = nonces[i * _NONCE : (i + 1) * _NONCE]
        out.append(_VERSION + nonce + aead.encrypt(nonce, plain.encode(), None))
    return out


def decrypt(blob: bytes | memoryview) -> str:
    data = bytes(blob)
    return _keys().aead.decrypt(data[1 : 1 + _NONCE], data[1 + _NONCE :], None).decode()


BLIND_INDEX_LENGTH = 32  # hex digits: 128 bits


def blind_index(kind: str, value: str) -> str:
    """Keyed hash of a normalised value; equal inputs give equal outputs, nothing else.
    HMAC-SHA256 of "kind NUL value", truncated to its first 128 bits, in hex.

    128 bits, not 256: the values are only ever compared for equality, and the chance of
    two of 20,000,000 different values colliding is about 6 in 10^25 (n^2 / 2^129). The
    shorter key makes the unique index on documents a third smaller, and with it the
    share of an import's time spent rewriting that index's pages (RFC 2104 section 5
    allows truncating HMAC output to no less than half its length)."""
    keys = _keys()
    prefix = keys.kinds.get(kind)
    if prefix is None:
        prefix = keys.inner.copy()
        prefix.update(f"{kind}\x00".encode())
        keys.kinds[kind] = prefix
    inner = prefix.copy()
    inner.update(value.encode())
    outer = keys.outer.copy()
    outer.update(inner.digest())
    return str(outer.hexdigest()[:BLIND_INDEX_LENGTH])
