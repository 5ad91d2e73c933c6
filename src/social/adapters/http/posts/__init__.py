"""HTTP for posts (/posts)."""
