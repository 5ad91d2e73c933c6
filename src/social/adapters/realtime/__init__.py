"""The real-time stream: publish/subscribe across API processes."""
