"""HTTP for sign-up, sign-in, tokens and the own account (/auth, /me)."""
