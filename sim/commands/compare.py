"""``returns-sim compare BASE OTHER...``: each scenario over replications with common random
numbers; per KPI the means with 95% intervals and each scenario's paired difference from BASE.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from sim.commands.experiment_options import canonical, configure_common, execute
from sim.experiments.api import compare_experiment
from sim.experiments.design import Experiment


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("base", metavar="BASE",
                        help="the scenario the others are compared with (a TOML file or a "
                        "bundled name)")
    parser.add_argument("others", nargs="+", metavar="OTHER", help="scenarios to compare")
    configure_common(parser)


def main(args: argparse.Namespace) -> int:
    def build() -> Experiment:
        return compare_experiment(args.base, args.others, replications=args.replications,
                                  orders=args.orders, days=args.days, seed=args.seed,
                                  vary_population=args.vary_population)

    def default_out(exp: Experiment) -> Path:
        return Path("results") / f"compare-{exp.base.file_name.removesuffix('.toml')}"

    command = canonical("compare", args, [args.base, *args.others])
    return execute("compare", args, build, default_out, command)
