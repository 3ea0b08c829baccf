"""Hostile and broken input: one case per threat in docs/security.md, each with its exact message."""
