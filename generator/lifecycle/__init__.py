"""A deal's life after drafting: signing (lock files), library upgrades and amendments.

Sits beside review/ and playbook/: it uses the pipeline and the writers, and nothing above it.
"""
