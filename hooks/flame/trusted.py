"""The one script and one style a published flame graph may carry.

Why a module of its own: every build checks every flame graph it publishes against these
(``hooks/svgsafe.py``, on render and on every cache read), while only a cache miss draws one.
Keeping them apart from ``draw`` lets a warm build check its cached graphs without loading the
drawing code.
"""

from __future__ import annotations

from pathlib import Path

from hooks.svgsafe import Trusted

SCRIPT = (Path(__file__).with_name("flame.js")).read_text(encoding="utf-8")
STYLE = (Path(__file__).with_name("flame.css")).read_text(encoding="utf-8")
#: Exactly these, as ``draw`` writes them; ``hooks/svgsafe.py`` refuses any other.
TRUSTED_BLOCKS = Trusted.of(scripts=["\n" + SCRIPT], styles=["\n" + STYLE])
