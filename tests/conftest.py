"""Suite-wide pytest configuration. Capability fixtures live in tests/<capability>/conftest.py."""

from __future__ import annotations

# tested snippets: every tested block in docs/ is an item named path:line (pytest -k <post>)
pytest_plugins = ["hooks.snippetkit.pytest_plugin"]
