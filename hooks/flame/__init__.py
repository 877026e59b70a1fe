"""Code flame graphs: a repository's lines of code as an interactive SVG, drawn at build time.

The pipeline has three rooms, each with one reason to change:

* ``count``  -- run cloc (or read a cloc ``--by-file --csv`` table) into ``FileCount`` records,
  surviving the differences between cloc versions that break the well-known shell one-liner;
* ``fold``   -- records -> a directory tree and flamegraph.pl's folded stacks (``dir;sub;file N``);
* ``draw``   -- the tree -> one self-contained, deterministic SVG with hover, zoom and search.

``sources`` names the graphs pages may embed (``self``, ``kind``, ``client-go``), ``embed`` adapts
them to MkDocs pages and files, and ``cli`` is ``python -m hooks flame``.
"""

from __future__ import annotations


class FlameError(Exception):
    """Bad input for a flame graph (not a cloc table, nothing to count, cloc missing...).

    The message is one complete sentence a person can act on; the command line prints it as is.
    """
