"""The HTTP views, one module per resource: each parses, calls one engine function and
serialises."""

__all__: list[str] = []
