"""social: an Instagram-like social media backend."""
