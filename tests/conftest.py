"""Suite-wide pytest configuration. Capability fixtures live in tests/<capability>/conftest.py."""

from __future__ import annotations
