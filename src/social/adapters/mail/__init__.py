"""Mail adapters: RFC 5322 files in the embedded mode, SMTP in production."""
