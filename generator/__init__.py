"""Clausebook: clause library and contract generator for BPO agreements."""

__version__ = "0.1.0"
