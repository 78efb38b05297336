"""One self-contained HTML page per results folder (``report.html``), built from the folder's
data files alone: a run, an experiment (compare or sweep) or a conformance run.

The page carries its styles and its plots (SVG, as data URIs) inside, asks the network for
nothing, and reads the same offline, attached to an e-mail or in a CI artifact viewer.
"""

from sim.reports.html.folder import REPORT_NAME, ReportError, write_report

__all__ = ["REPORT_NAME", "ReportError", "write_report"]
