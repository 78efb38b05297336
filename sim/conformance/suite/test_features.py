"""Every packaged feature, as pytest items (the steps come from ``sim.conformance.plugin``)."""

from pytest_bdd import scenarios

from sim.conformance import FEATURES_DIR

scenarios(str(FEATURES_DIR))
