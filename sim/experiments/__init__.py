"""What-if experiments: replications with common random numbers, 95% intervals, sweeps."""

from sim.experiments.api import ExperimentResult, compare, sweep

__all__ = ["ExperimentResult", "compare", "sweep"]
