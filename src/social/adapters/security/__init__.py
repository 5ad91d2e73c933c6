"""Password hashing, tokens, keys and field encryption."""
