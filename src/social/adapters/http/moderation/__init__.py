"""HTTP edge of reports and the admin endpoints."""
