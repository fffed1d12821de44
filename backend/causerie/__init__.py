"""Causerie: private feedback communities for brands."""

__version__ = "0.1.0"
