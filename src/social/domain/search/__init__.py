"""Search and discovery over posts: tags, text and places (SRCH-1 … SRCH-3)."""
