"""The engine: the index over a pack, the one level and exception rule, each government's
answer, districts, coordinates, result types and the words for their values."""

__all__: list[str] = []
