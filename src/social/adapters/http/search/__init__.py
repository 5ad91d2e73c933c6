"""HTTP edge of search and discovery."""
