"""TOTP secrets at rest (AUTH-7): AES-256-GCM under their own HKDF subkey, like emails."""

from __future__ import annotations

import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from social.adapters.security.keys import TOTP_KEY_ID, KeyRing

__all__ = ["TotpSecretCipher"]

_NONCE_BYTES = 12


class TotpSecretCipher:
    """Seals with the current key, opens with whichever key id a row names (rotation).

    The row's id (the account id) is bound in as associated data, so a secret copied onto
    another account's row does not decrypt. The key is derived for this purpose only: a leak
    of the email key reveals no TOTP secret, and the reverse."""

    def __init__(self, keys: KeyRing, *, current: str = TOTP_KEY_ID) -> None:
        self._ciphers = {kid: AESGCM(key) for kid, key in keys.totp_keys.items()}
        self._current = current

    def encrypt(self, secret: str, *, context: bytes) -> tuple[bytes, str]:
        nonce = os.urandom(_NONCE_BYTES)
        sealed = self._ciphers[self._current].encrypt(nonce, secret.encode(), context)
        return nonce + sealed, self._current

    def decrypt(self, ciphertext: bytes, key_id: str, *, context: bytes) -> str:
        cipher = self._ciphers.get(key_id)
        if cipher is None:
            raise LookupError(f"TOTP secret key {key_id!r} is not known")
        try:
            plain = cipher.decrypt(ciphertext[:_NONCE_BYTES], ciphertext[_NONCE_BYTES:], context)
        except InvalidTag:
            raise ValueError("a TOTP secret ciphertext failed authentication") from None
        return plain.decode()
