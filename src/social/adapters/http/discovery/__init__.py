"""/suggestions: accounts to follow and posts to see (DISC-1, DISC-2)."""
