"""Background jobs: SAQ queues (Redis in production, PostgreSQL when embedded) and tasks."""
