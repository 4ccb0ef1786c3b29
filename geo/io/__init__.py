"""Reading what users send (route files, JSON and YAML documents) and writing their output
files whole or not at all."""

__all__: list[str] = []
