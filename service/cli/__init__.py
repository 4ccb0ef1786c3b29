"""The ``riskzones`` command line: the engine commands (``commands``, with its parser in
``parser``), the stored ones (``stored``: keys, alerts, watches) and the text reports (``text``).
"""

from service.cli.commands import main

__all__ = ["main"]
