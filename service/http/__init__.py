"""What every view shares: reading requests, serialising answers, the one error table,
headers, language and API keys."""

__all__: list[str] = []
