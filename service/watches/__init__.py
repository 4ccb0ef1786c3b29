"""Watches: saved routes and itineraries, their API, what they keep between checks, the
re-check when the pack or an alert changes, their stored rows and the webhook deliverer."""

__all__: list[str] = []
