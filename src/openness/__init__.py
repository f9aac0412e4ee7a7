"""Openness: a knowledge graph and query tool for open source AI."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("openness")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0+unknown"
