"""HTTP for media objects."""
