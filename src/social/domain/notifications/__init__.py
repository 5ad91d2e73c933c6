"""Notifications and the real-time stream (NOTIF-1, NOTIF-2)."""
