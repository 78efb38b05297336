"""``returns-sim sweep SCENARIO --vary KEY=V1,V2,...``: the full grid of the values given,
every point over replications with common random numbers, compared with the grid's first.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from sim.commands.experiment_options import canonical, configure_common, execute
from sim.experiments.api import sweep_experiment
from sim.experiments.design import Experiment


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("scenario", metavar="SCENARIO",
                        help="the scenario to vary (a TOML file or a bundled name)")
    parser.add_argument("--vary", action="append", required=True, metavar="KEY=V1,V2,...",
                        help="a scenario key path and its values, e.g. "
                        "policy.default_window_days=30,45,60 (repeat for a grid)")
    configure_common(parser)


def main(args: argparse.Namespace) -> int:
    def build() -> Experiment:
        return sweep_experiment(args.scenario, args.vary, replications=args.replications,
                                orders=args.orders, days=args.days, seed=args.seed,
                                vary_population=args.vary_population)

    def default_out(exp: Experiment) -> Path:
        stem = Path(args.scenario).stem if args.scenario.endswith(".toml") else args.scenario
        return Path("results") / f"sweep-{stem}"

    return execute("sweep", args, build, default_out, canonical("sweep", args, [args.scenario]))
