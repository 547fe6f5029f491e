"""Business rules. Services know nothing of HTTP or Lambda events."""
