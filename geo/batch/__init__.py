"""Batch checks of point tables: the whole-file engine (``local``), the streamed one
(``stream``) and the Dask one (``cluster``), sharing ``rows``."""

__all__: list[str] = []
