"""``python -m sim`` is ``returns-sim``."""

from sim.cli import main

raise SystemExit(main())
