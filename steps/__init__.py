"""Step definitions of the conformance features (pytest-bdd).

Steps drive an implementation only through the wire port (``sim.rap.port.WirePort``): the typed
methods of the engine port, and ``execute`` for requests the types cannot express. The modules
are loaded as pytest plugins by ``sim.conformance.plugin``, so their steps are visible to every
feature. In the
repository this folder is ``steps/``; in the installed package it is ``sim.conformance.steps``.
"""

STEP_MODULES = (
    "sim.conformance.steps.fixtures",
    "sim.conformance.steps.marketplace",
    "sim.conformance.steps.returns",
    "sim.conformance.steps.outcomes",
    "sim.conformance.steps.raw",
    "sim.conformance.steps.zh_cn",
)
