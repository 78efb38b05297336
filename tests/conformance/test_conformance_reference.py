"""The whole conformance suite, in-process against the reference engine (``--impl`` may point
the same tests at another implementation: ``pytest tests/test_conformance_reference.py
--impl "cmd:..."``)."""

from pytest_bdd import scenarios

from sim.conformance import FEATURES_DIR

scenarios(str(FEATURES_DIR))
