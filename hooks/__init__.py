"""Control Loop's build extensions.

Library code for the site's MkDocs hooks (``hooks/site_hooks.py``) and for ``python -m hooks``.
Everything here is importable and testable without MkDocs running: the hook file only adapts
MkDocs events to calls into these modules.
"""

from __future__ import annotations

from pathlib import Path

#: The repository's top directory (the folder holding ``mkdocs.yml``).
PROJECT_ROOT = Path(__file__).resolve().parent.parent
