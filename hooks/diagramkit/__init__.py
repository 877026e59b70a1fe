"""Diagrams drawn from Python code: ``diagrams_src/<name>.py`` -> light and dark SVG.

The rooms, in the order data flows through them:

* ``sources``  - which scripts exist, which helpers each imports, the cache key;
* ``render``   - runs each script in its own sandboxed process (``runner``), in parallel, cached;
* ``runner``   - inside that process: adjusts ``diagrams``, runs the script, post-processes;
* ``svgpost``  - Graphviz SVG -> self-contained, deterministic light and dark SVGs
                 (``colors`` re-inks for the dark variant, ``icons`` embeds and inverts icons);
* ``legibility`` - can a reader read it in the post column: text size, contrast, overlaps
                 (``verdicts`` caches the verdict and words it as ``SourceError``s);
* ``embed``    - the Markdown form ``![alt](diagram:name "caption")`` -> one ``<figure>`` line;
* ``build``    - the MkDocs side: generated files, page embedding, serve watching;
* ``cli``      - ``python -m hooks diagrams render SRC.py ... --out DIR`` and ``check``.

This package is named ``diagramkit`` (never ``diagrams``) so it cannot shadow the library.
"""

#: CSS px per Graphviz pt: a diagram's ``<img>`` is ``width_pt * PX_PER_PT`` px wide.
PX_PER_PT = 4 / 3
