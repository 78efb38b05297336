"""Repository-wide pytest setup: the conformance plugin, so `pytest --impl ...` works here."""

pytest_plugins = ["sim.conformance.plugin"]
