"""Personal fields at rest: AES-GCM encryption and a keyed hash ("blind index") for exact
lookups, both derived from FANGKONG_FIELD_KEY. The database never holds a document number
or phone in clear, yet "find the person with this ID" stays one indexed equality."""

from __future__ import annotations

import hashlib
import hmac
import os
from functools import lru_cache

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

_NONCE = 12
_VERSION = b"\x01"  # leading byte: lets a later key rotation tell old blobs from new


@lru_cache(maxsize=4)
def _keys(master: str) -> tuple[AESGCM, bytes]:
    material = HKDF(
        algorithm=hashes.SHA256(), length=64, salt=b"fangkong-fields", info=b"enc+mac"
    ).derive(master.encode())
    return AESGCM(material[:32]), material[32:]


def encrypt(plain: str) -> bytes:
    aead, _ = _keys(settings.FIELD_KEY)
    nonce = os.urandom(_NONCE)
    return _VERSION + nonce + aead.encrypt(nonce, plain.encode(), None)


def decrypt(blob: bytes | memoryview) -> str:
    data = bytes(blob)
    aead, _ = _keys(settings.FIELD_KEY)
    return aead.decrypt(data[1 : 1 + _NONCE], data[1 + _NONCE :], None).decode()


def blind_index(kind: str, value: str) -> str:
    """Keyed hash of a normalised value; equal inputs give equal outputs, nothing else."""
    _, mac = _keys(settings.FIELD_KEY)
    return hmac.new(mac, f"{kind}\x00{value}".encode(), hashlib.sha256).hexdigest()
