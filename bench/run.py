"""Run every benchmark of bench/ and print its figures (`make bench`)."""

from __future__ import annotations

import runpy
import sys
from pathlib import Path

BENCHES = [
    "pack_load.py",
    "cold_start.py",
    "batch_files.py",
    "classify.py",
    "zones_scale.py",
    "single_check.py",
    "route_check.py",
    "load.py",
    "reliability.py",
    "dask_scaling.py",
    "watches_scale.py",
]

if __name__ == "__main__":
    here = Path(__file__).resolve().parent
    sys.path.insert(0, str(here.parent))
    for name in BENCHES:
        print(f"== {name}", flush=True)
        runpy.run_module(f"bench.{name[:-3]}", run_name="__main__")
