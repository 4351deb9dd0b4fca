"""Command-line interface: ``corresptei``.  Each sub-command lives in its own module."""

from .app import main

# Importing a command module registers its command(s) on ``main``.
# One line per command module, keep sorted:
from . import encode_cmd  # noqa: F401,E402
from . import render_cmd  # noqa: F401,E402
from . import schema_cmd  # noqa: F401,E402
from . import validate_cmd  # noqa: F401,E402

__all__ = ["main"]
