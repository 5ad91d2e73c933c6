"""The HTTP edge: Litestar controllers, schemas, auth, errors and middleware."""
