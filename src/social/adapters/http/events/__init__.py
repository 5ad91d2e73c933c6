"""/events and /me/events, /me/collection: event albums (EVT-1)."""
