"""The ``returns-sim`` command line: one sub-command per job, each living in its own module.

Each command module exposes ``configure(parser)`` to add its options and ``main(args) -> int``;
they are imported only when chosen, so ``returns-sim serve`` does not pay for matplotlib.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from sim import PROTOCOL, __version__
from sim.commands.extras import SIM_PACKAGES, require

# name -> (module, one-line help)
COMMANDS: dict[str, tuple[str, str]] = {
    "run": ("sim.commands.run", "simulate a scenario and write results and plots"),
    "serve": ("sim.commands.serve", f"serve the reference engine over {PROTOCOL} (stdio or HTTP)"),
    "compare": ("sim.commands.compare", "compare scenarios over replications, with intervals"),
    "sweep": ("sim.commands.sweep", "vary scenario keys over a grid, with intervals"),
    "conform": (
        "sim.commands.conform",
        f"run the conformance features against a {PROTOCOL} engine",
    ),
    "calibrate": ("sim.commands.calibrate", "calibrate a scenario from Amazon returns reports"),
    "check-report": (
        "sim.commands.check_report",
        "check a returns report's decisions against the reference policy",
    ),
    "report": ("sim.commands.report", "rebuild a results folder's report.html from its files"),
    "fuzz": ("sim.commands.fuzz", f"differential random testing of a {PROTOCOL} engine"),
    "replay": ("sim.commands.replay", "replay kept cases or a run's trace against an engine"),
}

# Commands that need the simulator's packages (the `sim` extra); conform and serve do not.
NEEDS_SIM = frozenset({"run", "compare", "sweep", "calibrate", "check-report", "report"})


def build_parser(argv: Sequence[str]) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="returns-sim",
        description="Sandbox simulator and conformance harness for seller-fulfilled return "
        f"authorization ({PROTOCOL}).",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    # Only the chosen command's module is imported (the others just get their help line).
    chosen = next((a for a in argv if a in COMMANDS), None)
    for name, (module_name, help_text) in COMMANDS.items():
        p = sub.add_parser(name, help=help_text, description=help_text)
        if name == chosen:
            if name in NEEDS_SIM:
                require("sim", SIM_PACKAGES, name)  # exit 2 naming the extra, no ImportError
            module = importlib.import_module(module_name)
            module.configure(p)
            p.set_defaults(_main=module.main)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser(args_list)
    if not args_list:
        # `returns-sim` alone is the main job on the bundled default scenario.
        args_list = ["run"]
        parser = build_parser(args_list)
    args = parser.parse_args(args_list)
    if getattr(args, "_main", None) is None:
        parser.print_help()
        return 2
    result: int = args._main(args)
    return result
