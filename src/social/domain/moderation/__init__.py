"""Reports, moderation actions, roles and the audit log (MOD-1)."""
