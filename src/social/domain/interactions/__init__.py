"""Likes, comments, shares and bookmarks (INT-1 … INT-5)."""
