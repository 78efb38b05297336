"""``python -m sim`` is ``returns-sim``."""

from sim.commands.cli import main

raise SystemExit(main())
