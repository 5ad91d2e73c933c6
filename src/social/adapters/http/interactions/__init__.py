"""HTTP edge of likes, comments, shares and bookmarks."""
