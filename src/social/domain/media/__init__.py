"""Photos and videos: storage of their bytes and, later, processing (POST-1, POST-2)."""
