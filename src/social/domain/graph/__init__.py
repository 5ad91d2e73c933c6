"""The social graph: follows, follow requests, blocks and mutes (REL-1 … REL-3), and the one
visibility policy every read path asks."""
