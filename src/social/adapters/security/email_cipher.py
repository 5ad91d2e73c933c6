"""Email addresses at rest (AUTH-5): AES-256-GCM ciphertext plus an HMAC for exact lookups."""

from __future__ import annotations

import hashlib
import hmac
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from social.adapters.security.keys import KeyRing

__all__ = ["EmailCipher"]

_NONCE_BYTES = 12


class EmailCipher:
    """Encrypts with the current key, decrypts with whichever key id a row names (rotation).

    The row's id is bound in as associated data, so a ciphertext copied onto another row does not
    decrypt. Lookups use HMAC-SHA256 of the normalized address under a separate key.
    """

    def __init__(self, keys: KeyRing) -> None:
        self._ciphers = {kid: AESGCM(key) for kid, key in keys.email_keys.items()}
        self._current = keys.email_key_id
        self._lookup_key = keys.email_lookup_key

    @property
    def current_key_id(self) -> str:
        return self._current

    def encrypt(self, email: str, *, context: bytes) -> tuple[bytes, str]:
        nonce = os.urandom(_NONCE_BYTES)
        sealed = self._ciphers[self._current].encrypt(nonce, email.encode(), context)
        return nonce + sealed, self._current

    def decrypt(self, ciphertext: bytes, key_id: str, *, context: bytes) -> str:
        cipher = self._ciphers.get(key_id)
        if cipher is None:
            raise LookupError(f"email key {key_id!r} is not configured (SOCIAL_EMAIL_KEYS)")
        try:
            plain = cipher.decrypt(ciphertext[:_NONCE_BYTES], ciphertext[_NONCE_BYTES:], context)
        except InvalidTag:
            raise ValueError("an email ciphertext failed authentication") from None
        return plain.decode()

    def lookup_hash(self, email: str) -> bytes:
        return hmac.new(self._lookup_key, email.encode(), hashlib.sha256).digest()
