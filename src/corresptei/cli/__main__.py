"""``python -m corresptei.cli``."""

from . import main

main()
