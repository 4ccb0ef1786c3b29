"""``python -m geo.build [SOURCES]``: build the packaged pack (or: `riskzones zones build`)."""

import sys
from pathlib import Path

from geo.build import DEFAULT_SOURCES, build_pack

build_pack(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_SOURCES)
