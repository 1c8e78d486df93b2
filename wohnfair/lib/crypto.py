"""Encryption at rest for narratives, contact data and documents.

AES-256-GCM with keys from ``settings.WOHNFAIR_ENCRYPTION_KEYS`` (newest first),
never derived from SECRET_KEY. Each ciphertext names the key it was made with,
so old rows stay readable after a new key is added and can be re-encrypted by
``manage.py rotate_encryption_keys``. The associated data binds a value to its
place (model and field), so a ciphertext copied into another column does not
decrypt.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import unicodedata
from functools import cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings

PREFIX = "wf1"
NONCE_BYTES = 12


class DecryptionError(Exception):
    pass


@cache
def _keys(configured: tuple[str, ...]) -> tuple[tuple[str, bytes], ...]:
    keys = []
    for encoded in configured:
        raw = base64.urlsafe_b64decode(encoded)
        key_id = hashlib.sha256(raw).hexdigest()[:8]
        keys.append((key_id, raw))
    return tuple(keys)


def keys() -> tuple[tuple[str, bytes], ...]:
    """(key id, key bytes), newest first."""
    return _keys(tuple(settings.WOHNFAIR_ENCRYPTION_KEYS))


def current_key_id() -> str:
    return keys()[0][0]


def encrypt_bytes(plain: bytes, context: str) -> bytes:
    key_id, key = keys()[0]
    nonce = os.urandom(NONCE_BYTES)
    sealed = AESGCM(key).encrypt(nonce, plain, context.encode())
    return f"{PREFIX}:{key_id}:".encode() + nonce + sealed


def decrypt_bytes(token: bytes, context: str) -> bytes:
    try:
        prefix, key_id, rest = token.split(b":", 2)
    except ValueError:
        raise DecryptionError("not an encrypted value") from None
    if prefix.decode() != PREFIX:
        raise DecryptionError("unknown format")
    for candidate_id, key in keys():
        if candidate_id == key_id.decode():
            try:
                return AESGCM(key).decrypt(rest[:NONCE_BYTES], rest[NONCE_BYTES:], context.encode())
            except InvalidTag:
                raise DecryptionError("value does not belong here or was altered") from None
    raise DecryptionError(f"key {key_id.decode()} is not configured")


def encrypt_text(plain: str, context: str) -> str:
    sealed = encrypt_bytes(plain.encode(), context)
    prefix, key_id, rest = sealed.split(b":", 2)
    return f"{prefix.decode()}:{key_id.decode()}:{base64.urlsafe_b64encode(rest).decode()}"


def decrypt_text(token: str, context: str) -> str:
    try:
        prefix, key_id, rest = token.split(":", 2)
        raw = base64.urlsafe_b64decode(rest)
    except ValueError:
        raise DecryptionError("not an encrypted value") from None
    return decrypt_bytes(f"{prefix}:{key_id}:".encode() + raw, context).decode()


def key_id_of(token: str | bytes) -> str:
    if isinstance(token, bytes):
        token = token[:32].decode(errors="ignore")
    return token.split(":", 2)[1]


def normalise(text: str) -> str:
    """Case- and accent-insensitive form used for blind indexes."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char)).strip()


def blind_index(text: str, context: str) -> str:
    """A keyed hash that lets staff find an encrypted name by an exact word, nothing more.

    Uses the current key; ``rotate_encryption_keys`` rebuilds the indexes
    together with the ciphertexts.
    """
    key = keys()[0][1]
    digest = hmac.new(key, f"{context}:{normalise(text)}".encode(), hashlib.sha256)
    return digest.hexdigest()[:24]


def blind_tokens(text: str, context: str) -> list[str]:
    words = {normalise(word) for word in text.replace("-", " ").split() if len(word) > 1}
    return sorted(blind_index(word, context) for word in words if word)
