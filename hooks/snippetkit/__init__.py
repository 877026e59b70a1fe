"""Tested snippets: every fenced block marked ``test="..."`` is run or validated at build.

Rooms, in the order data flows through them:

- ``parse``: find marked blocks in Markdown (with the opening fence's source line) and check
  their options; nothing here executes anything.
- ``model``: the plain records passed between rooms (``Block``, ``Session``, ``Outcome``).
- ``runners``: one small module per kind of block, deciding pass or fail (``check`` hands
  blocks to ``hooks.validators``, a page at a time).
- ``sessions`` (with ``context``, ``shellstate``, ``worker``, ``requirements``): state shared in
  page order (one Python worker, one shell state, one folder); ``requires=`` decides skips.
- ``engine``: cache lookups and the parallel run of many sessions.
- ``report`` / ``update``: what a person sees; rewriting expected output in place.
- ``transcripts`` / ``record``: the committed store of what each block really printed
  (``<post>.transcripts.yaml``), ``--record`` and ``--take-in``; ``display`` (with
  ``readable`` and ``pageplan``): what a reader sees of a block (recorded output, badge and
  its detail, the commands a copy button copies, the ``file=`` title), decided from the
  Markdown and the store only, so builds stay byte-identical.
- ``cli``, ``pytest_plugin``, ``build``: thin integrations (command line, pytest, the site build).
"""

from __future__ import annotations
