"""returns-sandbox: a reference engine, simulator and conformance harness for rap/1."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("returns-sandbox")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+source"

PROTOCOL = "rap/1"
