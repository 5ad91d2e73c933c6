"""Event albums (EVT-1, seed 002 "FotoTa"): an organiser's password-protected album of many
photos, guests who open it, their recently opened events and their collection of bookmarked
photos. "Find my photos" (EVT-2) joins this context with ``faces``."""
