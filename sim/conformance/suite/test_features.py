"""The features of a ``returns-sim conform`` run, as pytest items: the packaged ones and each
``--features`` folder (the steps come from ``sim.conformance.plugin``)."""

from pytest_bdd import scenarios
from pytest_bdd.utils import CONFIG_STACK

from sim.conformance.plugin import FOLDERS_KEY

scenarios(*(str(folder.path) for folder in CONFIG_STACK[-1].stash[FOLDERS_KEY]))
