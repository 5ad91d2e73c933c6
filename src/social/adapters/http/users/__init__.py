"""HTTP for public profiles (/users)."""
