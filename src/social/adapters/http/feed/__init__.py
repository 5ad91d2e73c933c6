"""HTTP edge of the home feed and browsing."""
