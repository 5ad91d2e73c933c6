"""HTTP edge of API clients and the activity log: the recording middleware, admin endpoints."""
