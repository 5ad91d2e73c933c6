"""HTTP edge of notifications and the real-time stream."""
