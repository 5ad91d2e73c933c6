"""Faces (EVT-2): one embedding per face found in a photo, a user's opted-in selfie reference,
and the vector search that matches them. Biometric data: kept only with consent, deleted with
the reference or the account, never used outside the events the user opens."""
