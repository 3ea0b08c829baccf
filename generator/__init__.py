"""Clausebook: clause library and contract generator for BPO agreements."""

try:
    # Written by setuptools-scm at install time from the git tag (importlib.metadata would cost
    # every command ~20 ms of imports).
    from ._version import __version__ as __version__
except ImportError:  # a source tree that was never installed
    __version__ = "0+unknown"
