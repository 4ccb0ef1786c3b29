"""The API's contract: request and response models, their JSON Schemas, and the OpenAPI 3.1
document with the OGC and stored paths."""

__all__: list[str] = []
