"""The site build's side of tested snippets: parse early, run in the background, mark blocks.

- ``start`` (``on_files``): parse every Markdown page, report option mistakes, and start running
  all sessions in parallel while MkDocs renders pages (a warm build finds everything cached).
- ``page_markdown`` (``on_page_markdown``): rewrite each tested fence *in place* into
  superfences' brace form, without our options and with classes saying what happened to it;
  the line count never changes.
- ``page_content`` (``on_page_content``): put a small visible badge ("tested at build",
  "validated", "skipped: reason") into each marked code block.
- ``finish`` (``on_post_build``): wait for the runs, report each failure at ``path:line``
  (a build fails, a serve keeps serving), log the summary line.
"""

from __future__ import annotations

import html
import os
import re
from collections.abc import Callable, Iterable
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from hooks.errors import SourceError
from hooks.pages import read_offset, source_path
from hooks.reporting import BuildReport
from hooks.snippetkit.discover import split_source
from hooks.snippetkit.model import Block, Outcome
from hooks.snippetkit.parse import PASSTHROUGH_OPTIONS, Fence, parse_page, scan_fences
from hooks.snippetkit.report import failure_error, summarize, tally_name

if TYPE_CHECKING:  # the engine (runners, sandbox) loads only when a page has tested blocks
    from hooks.snippetkit.engine import Engine, RunOptions, RunResult

#: Set to ``off`` to build without the snippet pass (benchmarks compare against it).
SWITCH_ENV = "CONTROL_LOOP_SNIPPETS"
#: CSS classes per verdict known before running (a failure fails the build instead).
STATE_CLASS = {"run": "cl-tested", "check": "cl-validated", "skip": "cl-skipped"}
_MARKED_DIV = re.compile(
    r'(<div class="[^"]*\bcl-snippet\b[^"]*"(?: [^>]*?)?'
    r' data-cl-badge="(?P<badge>[^"]*)"[^>]*>)'
)


def badge_text(block: Block, skip_reason: str = "") -> str:
    """What the reader is told about a tested block."""
    if block.test == "skip":
        return f"skipped: {block.options.get('reason', '').strip()}"
    if skip_reason:  # "requires kind (not on PATH)" -> "requires kind": the reader's words
        return f"skipped: {re.sub(r' [(].*[)]$', '', skip_reason)}"
    return "validated" if block.test == "check" else "tested at build"


def _attr(value: str) -> str:
    return html.escape(value, quote=True)


def rewrite_fence_line(
    line: str, fence: Fence, badge: str | None, source_line: int | None = None
) -> str:
    """The opening fence line without our options (brace form, same single line).

    ``source_line`` (``mkdocs serve`` only) tags the block with its line in the source file, so
    the badge can be corrected once the run is over (``mark_outcomes``).
    """
    parts = [f".{fence.lang}"] if fence.lang else []
    if badge is not None:
        state = "cl-skipped" if badge.startswith("skipped") else STATE_CLASS[fence.options["test"]]
        parts += [".cl-snippet", f".{state}", f'data-cl-badge="{_attr(badge)}"']
        if source_line is not None:
            parts.append(f'data-cl-line="{source_line}"')
    for key in PASSTHROUGH_OPTIONS:  # superfences escapes these itself
        if key in fence.options:
            value = fence.options[key]
            parts.append(f"{key}='{value}'" if '"' in value else f'{key}="{value}"')
    eol = line[len(line.rstrip("\r\n")) :]
    return f"{fence.indent}{fence.fence} {{ {' '.join(parts)} }}{eol}"


def rewrite_markdown(
    markdown: str,
    badges: dict[int, str] | Callable[[int], str | None],
    line_offset: int | None = None,
) -> str:
    """``markdown`` with every tested fence rewritten; ``badges`` gives each fence's text by the
    index of its opening line (a mapping, or a function of the index).

    With ``line_offset`` (lines before ``markdown`` in its file) each block carries its line.
    """
    badge_at = badges.get if isinstance(badges, dict) else badges
    lines = markdown.splitlines(keepends=True)
    for fence in scan_fences([x.rstrip("\r\n") for x in lines]):
        if "test" in fence.options:
            at = None if line_offset is None else line_offset + fence.start + 1
            lines[fence.start] = rewrite_fence_line(
                lines[fence.start], fence, badge_at(fence.start), at
            )
    return "".join(lines)


def add_badges(page_html: str) -> str:
    """Insert the badge element at the top of every marked code block."""

    def badge(m: re.Match[str]) -> str:
        text = m.group("badge")  # already escaped in the attribute
        kind = (
            "skipped"
            if text.startswith("skipped")
            else ("validated" if text == "validated" else "tested")
        )
        return f'{m.group(1)}<span class="cl-badge cl-badge--{kind}">{text}</span>'

    return _MARKED_DIV.sub(badge, page_html)


_SHOWN_BADGE = re.compile(
    r'(<div class="[^"]*\bcl-snippet\b[^"]*"[^>]*? data-cl-line="(?P<line>\d+)"[^>]*>)'
    r'<span class="cl-badge cl-badge--[a-z]+">[^<]*</span>'
)


def mark_outcomes(page_html: str, verdicts: dict[int, tuple[str, str]]) -> str:
    """Replace the badges of blocks whose run ended otherwise than the page said.

    ``verdicts`` maps a block's source line to (kind, text), e.g. ``("failed", "failed: ...")``.
    Pages are rendered while the blocks still run; under ``mkdocs serve`` a failure does not stop
    the build, so the served page must not keep saying "tested at build".
    """

    def badge(m: re.Match[str]) -> str:
        verdict = verdicts.get(int(m.group("line")))
        if verdict is None:
            return m.group(0)
        kind, text = verdict
        return f'{m.group(1)}<span class="cl-badge cl-badge--{kind}">{html.escape(text)}</span>'

    return _SHOWN_BADGE.sub(badge, page_html)


def served_verdict(block: Block, outcome: Outcome, shown: str) -> tuple[str, str] | None:
    """What the badge must say after the run, when that differs from ``shown``."""
    if outcome.failed:
        return "failed", "failed: see the mkdocs serve log"
    if outcome.status == "skipped" and not shown.startswith("skipped"):
        reason = (outcome.reason or "not run").removeprefix("not run: ")
        reason = re.sub(r" [(].*[)]$", "", reason)
        return "skipped", f"skipped: {reason}"
    return None


@dataclass
class SnippetBuild:
    """State of the snippet pass across one build (``serve`` starts one per rebuild)."""

    options: RunOptions | None = None  # None: the engine's defaults
    badges: dict[str, str] = field(default_factory=dict)  # block id -> badge text
    future: Future[RunResult] | None = None
    errors: int = 0
    engine: Engine | None = None
    offsets: dict[str, int] = field(default_factory=dict)  # abs_src_path -> lines before body
    tested_pages: set[str] = field(default_factory=set)  # abs_src_path of pages with test= fences
    serving: bool = False  # ``mkdocs serve``: failures do not stop the build; badges get fixed
    outputs: dict[str, str] = field(default_factory=dict)  # block path -> built HTML file

    @property
    def enabled(self) -> bool:
        return os.environ.get(SWITCH_ENV, "").lower() not in ("off", "0", "false")

    def start(self, pages: Iterable[tuple[str | None, str]], report: BuildReport) -> None:
        """Parse ``(abs_src_path, src_uri)`` pages and start running their blocks."""
        if not self.enabled:
            return
        self.badges.clear()
        self.offsets.clear()
        self.tested_pages.clear()
        self.outputs.clear()
        self.serving = report.serving
        self.errors = 0
        blocks: list[Block] = []
        for abs_src, src_uri in pages:
            if not abs_src:
                continue
            try:
                with open(abs_src, encoding="utf-8-sig") as fh:
                    source = fh.read()
            except OSError:
                continue
            offset, body = split_source(source)
            self.offsets[abs_src] = offset
            page = parse_page(body, source_path(abs_src, src_uri), offset)
            if page.fences:
                self.tested_pages.add(abs_src)
            for err in page.errors:
                report.error(err)
            self.errors += len(page.errors)
            blocks.extend(page.blocks)
        self.future = None
        if not blocks:
            return
        from hooks.snippetkit.engine import Engine, RunOptions, forget_tool_versions
        from hooks.snippetkit.sessions import group_sessions, runnable_prefix

        if self.options is None:
            self.options = RunOptions()
        for session in group_sessions(blocks):
            n, why = runnable_prefix(session, self.options.network)
            for i, b in enumerate(session.blocks):
                self.badges[b.id] = badge_text(b, why if i >= n and b.kind != "check" else "")
        if self.engine is None:
            self.engine = Engine(self.options)
        else:
            forget_tool_versions()
        self.future = self.engine.submit(blocks)

    def page_markdown(
        self,
        markdown: str,
        abs_src_path: str | None,
        src_uri: str,
        abs_dest_path: str | None = None,
    ) -> str:
        if not self.enabled:
            return markdown
        if abs_src_path in self.offsets and abs_src_path not in self.tested_pages:
            return markdown  # parsed in start(): no fence to rewrite (most pages of a blog)
        path = source_path(abs_src_path, src_uri)
        offset = self.offsets.get(abs_src_path or "")
        if offset is None:
            offset = read_offset(abs_src_path)

        def badge(index: int) -> str | None:  # blocks are known by their line in the file
            return self.badges.get(f"{path}:{offset + index + 1}")

        if not self.serving:
            return rewrite_markdown(markdown, badge)
        if abs_dest_path:
            self.outputs[path] = abs_dest_path
        return rewrite_markdown(markdown, badge, line_offset=offset)

    def page_content(self, page_html: str) -> str:
        if not self.enabled or "cl-snippet" not in page_html:
            return page_html
        return add_badges(page_html)

    def finish(self, report: BuildReport) -> RunResult | None:
        """Wait for the runs, report failures, log the summary line."""
        if not self.enabled:
            return None
        result: RunResult | None = None
        if self.future is not None:
            try:
                result = self.future.result()
            except Exception as exc:  # an internal error must not pass as green
                report.error(SourceError("docs", 0, f"snippets could not run: {exc!r}"))
        self.future = None
        outcomes: list[Outcome] = []
        if result is not None:
            for block, outcome in result.ordered():
                if outcome.failed:
                    report.error(failure_error(block, outcome))
                report.tally(block.path, tally_name(block, outcome))
            outcomes = list(result.outcomes.values())
            if self.serving:
                self._correct_served_pages(result)
        report.info(summarize(outcomes, extra_failures=self.errors))
        return result

    def _correct_served_pages(self, result: RunResult) -> None:
        """Rewrite the badges of failed or skipped blocks in the pages already written."""
        by_page: dict[str, dict[int, tuple[str, str]]] = {}
        for block, outcome in result.ordered():
            verdict = served_verdict(block, outcome, self.badges.get(block.id, ""))
            if verdict is not None and block.path in self.outputs:
                by_page.setdefault(self.outputs[block.path], {})[block.line] = verdict
        for output, verdicts in by_page.items():
            try:
                with open(output, encoding="utf-8") as fh:
                    page_html = fh.read()
                with open(output, "w", encoding="utf-8") as fh:
                    fh.write(mark_outcomes(page_html, verdicts))
            except OSError:  # the page was not written (excluded, or the build stopped)
                continue

    def close(self) -> None:
        if self.engine is not None:
            self.engine.close()
            self.engine = None
