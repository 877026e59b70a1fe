"""A Content-Security-Policy on every page: scripts run only from the site's own files.

Defense in depth behind the escaping of front matter (``hooks/pagemeta.py``) and the SVG
allow-list (``hooks/svgsafe.py``): should markup from a pull request ever reach a page, its
inline ``<script>``, event attributes (``onerror=``) and ``javascript:`` URLs do not run.

The policy is a ``<meta http-equiv="Content-Security-Policy">`` right after ``<meta charset>``
(GitHub Pages sets no headers), allowing scripts from the site itself (``'self'``: Material's
bundle, the search worker, ``zoom.js``) plus, by SHA-256, exactly the inline
scripts the *theme's templates* write. Those are found by reading the templates themselves
(``template_scripts``): each inline ``<script>`` becomes a pattern in which a Jinja expression
(``{{ base_url }}``) may only be text that cannot leave a JavaScript string; a script in a page
is hashed only when it matches one of them in full, so a ``<script>`` in a post's Markdown is
never allowed, whatever it says.

``mkdocs serve`` gets no policy: its live reload injects an inline script of its own into every
page it serves.
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
from collections.abc import Iterable
from pathlib import Path

from hooks.cache import Cache, digest, file_stamp

#: Everything else: the site's own origin; styles may be inline (Material and zoom.js set
#: ``style`` attributes); images may be ``data:`` (emoji, icons). No plugin content at all:
#: flame graphs are ``<iframe>``s (``default-src 'self'``), nothing is an ``<object>``.
POLICY = (
    "default-src 'self'; script-src 'self' {hashes}; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; object-src 'none'; base-uri 'self'; "
    "form-action 'self'"
)
_TEMPLATE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)
_PAGE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)
_EXPRESSION = re.compile(r"\{\{.*?\}\}", re.DOTALL)
#: What a ``{{ ... }}`` inside a template script may become: a path or a word, never a quote,
#: backslash, backtick or angle bracket (it sits inside a JavaScript string literal).
_VALUE = r"[^\"'`\\<>\n]*"
_CHARSET = '<meta charset="utf-8">'


def _pattern(body: str) -> re.Pattern[str] | None:
    if "{%" in body or "{#" in body:
        return None  # conditional script text: never allowed by hash
    parts = _EXPRESSION.split(body)
    return re.compile(_VALUE.join(re.escape(p) for p in parts), re.DOTALL)


#: Theme folders holding no templates: Material's ``.icons`` (some 10,000 SVG files, whose
#: walk alone cost a warm build more than reading every template).
_NOT_TEMPLATES = frozenset({".icons"})


def _templates(folder: Path) -> list[Path]:
    """The ``.html`` files under ``folder``, sorted, skipping the icon sets."""
    found = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = [d for d in dirs if d not in _NOT_TEMPLATES]
        found += [Path(root) / f for f in files if f.endswith(".html")]
    return sorted(found)


def _script_bodies(paths: list[Path]) -> list[str]:
    bodies: set[str] = set()
    for path in paths:
        text = path.read_text(encoding="utf-8", errors="replace")
        bodies.update(m.group(1) for m in _TEMPLATE_SCRIPT.finditer(text))
    return sorted(bodies)


def template_scripts(
    theme_dirs: Iterable[str | Path], cache: Cache | None = None
) -> list[re.Pattern[str]]:
    """Patterns of the inline scripts the theme's templates write (each once, sorted).

    The scripts found are remembered under the templates' paths, sizes and modification times,
    in a sealed namespace (they decide which inline scripts may run: only this host's own
    reading of the templates counts), so a warm build reads no template for this."""
    paths = [p for folder in theme_dirs for p in _templates(Path(folder))]
    cache = cache if cache is not None else Cache("csp", sealed=True)
    key = digest("csp-template-scripts-1", _TEMPLATE_SCRIPT.pattern, *map(file_stamp, paths))
    bodies = cache.get_json(key)
    if not (isinstance(bodies, list) and all(isinstance(b, str) for b in bodies)):
        bodies = _script_bodies(paths)
        cache.put_json(key, bodies)
    patterns = (_pattern(body) for body in bodies)
    return [p for p in patterns if p is not None]


def _hash(script: str) -> str:
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def allowed_hashes(
    html: str, patterns: list[re.Pattern[str]], seen: dict[str, str | None] | None = None
) -> list[str]:
    """Hashes of the page's inline scripts that the templates wrote (sorted, no duplicates).

    ``seen`` remembers each script text's verdict across the pages of a build: the same few
    theme scripts repeat on every page, so each text is matched against the patterns once."""
    seen = {} if seen is None else seen
    found = set()
    for m in _PAGE_SCRIPT.finditer(html):
        script = m.group(1)
        if script not in seen:
            seen[script] = _hash(script) if any(p.fullmatch(script) for p in patterns) else None
        if seen[script] is not None:
            found.add(seen[script])
    return sorted(found)


def policy(
    html: str, patterns: list[re.Pattern[str]], seen: dict[str, str | None] | None = None
) -> str:
    hashes = " ".join(allowed_hashes(html, patterns, seen))
    return POLICY.format(hashes=hashes).replace("  ", " ")


def add_policy(
    html: str, patterns: list[re.Pattern[str]], seen: dict[str, str | None] | None = None
) -> str:
    """``html`` with the policy as its first ``<meta>`` after the charset (or after ``<head>``)."""
    tag = f'<meta http-equiv="Content-Security-Policy" content="{policy(html, patterns, seen)}">'
    if _CHARSET in html:
        return html.replace(_CHARSET, _CHARSET + tag, 1)
    return html.replace("<head>", "<head>" + tag, 1)


class SitePolicy:
    """One build's policy: the theme's script patterns, read once; none under ``serve``."""

    def __init__(self) -> None:
        self.patterns: list[re.Pattern[str]] | None = None
        self.seen: dict[str, str | None] = {}  # script text -> its hash, or None: not allowed

    def start(self, theme_dirs: Iterable[str | Path], *, serving: bool) -> None:
        self.patterns = None if serving else template_scripts(theme_dirs)
        self.seen = {}

    def apply(self, html: str) -> str:
        return html if self.patterns is None else add_policy(html, self.patterns, self.seen)
