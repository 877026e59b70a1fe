"""The site build's side of tested snippets: parse early, run in the background, mark blocks.

- ``start`` (``on_files``): parse every Markdown page, report option mistakes, and start running
  all sessions in parallel while MkDocs renders pages (a warm build finds everything cached).
- ``page_markdown`` (``on_page_markdown``): rewrite each tested fence *in place* into
  superfences' brace form, without our options and with classes saying what happened to it;
  the line count never changes.
  A console or pycon block shows its recorded output (``display.py``, ``transcripts.py``).
- ``page_content`` (``on_page_content``): put a small visible badge ("tested at build",
  "validated", "ran on kind v0.33 · Kubernetes 1.37 · <date>") into each marked code block,
  linked to the About page's explanation, with what happened on hover and focus.
- ``finish`` (``on_post_build``): wait for the runs, report each failure at ``path:line``
  (a build fails, a serve keeps serving), log the summary line.
"""

from __future__ import annotations

import html
import os
import posixpath
import re
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from hooks.errors import SourceError
from hooks.pages import read_offset, source_path
from hooks.reporting import BuildReport
from hooks.snippetkit.discover import split_source
from hooks.snippetkit.display import BlockView
from hooks.snippetkit.model import Block, Outcome
from hooks.snippetkit.parse import PASSTHROUGH_OPTIONS, Fence, ParsedPage, parse_page, scan_fences
from hooks.snippetkit.report import failure_error, format_failure, summarize, tally_name

if TYPE_CHECKING:  # the engine (runners, sandbox) loads only when a page has tested blocks
    from hooks.snippetkit.engine import Engine, RunOptions, RunResult

#: Set to ``off`` to build without the snippet pass (benchmarks compare against it).
SWITCH_ENV = "CONTROL_LOOP_SNIPPETS"
#: CSS classes per verdict known before running (a failure fails the build instead).
STATE_CLASS = {"run": "cl-tested", "check": "cl-validated", "skip": "cl-skipped"}
#: Where every badge links: the About page's explanation of the badges (site-relative URL).
ABOUT_URL = "about/"
ABOUT_ANCHOR = "tested-code"
#: ``CI=true`` (set by GitHub Actions and ``.ci/run``): a stale recording fails the build.
CI_ENV = "CI"
_MARKED_DIV = re.compile(
    r'(?P<open><div class="[^"]*\bcl-snippet\b[^"]*"(?: [^>]*?)?'
    r' data-cl-badge="(?P<badge>[^"]*)")(?: data-cl-state="(?P<state>[a-z]+)")?'
    r'(?: data-cl-detail="(?P<detail>[^"]*)")?(?P<rest>[^>]*>)'
)


def badge_text(block: Block, skip_reason: str = "") -> str:
    """What the reader is told about a tested block."""
    if block.test == "skip":
        return f"skipped: {block.options.get('reason', '').strip()}"
    if skip_reason:  # "requires kind (not on PATH)" -> "requires kind": the reader's words
        return f"skipped: {re.sub(r' [(].*[)]$', '', skip_reason)}"
    return "validated" if block.test == "check" else "tested at build"


def stale_error(block: Block, why: str) -> SourceError:
    """A block whose recorded transcript is not current, with the command that fixes it."""
    from hooks.snippetkit.transcripts import fix_command

    return SourceError(
        block.path,
        block.line,
        f'{block.kind} block (session "{block.session}") {why}: its recorded transcript '
        "is not current (see CONTRIBUTING.md, Recorded transcripts)",
        fix_command(block),
    )


def _attr(value: str) -> str:
    return html.escape(value, quote=True)


def _multiline_attr(value: str) -> str:
    """An attribute value on the single fence line: newlines as character references."""
    return _attr(value).replace("\r", "").replace("\n", "&#10;")


def rewrite_fence_line(
    line: str, fence: Fence, badge: str | BlockView | None, source_line: int | None = None
) -> str:
    """The opening fence line without our options (brace form, same single line).

    ``source_line`` (``mkdocs serve`` only) tags the block with its line in the source file, so
    the badge can be corrected once the run is over (``mark_outcomes``).
    """
    parts = [f".{fence.lang}"] if fence.lang else []
    view = badge if isinstance(badge, BlockView) else None
    if isinstance(badge, str):
        state = "cl-skipped" if badge.startswith("skipped") else STATE_CLASS[fence.options["test"]]
        parts += [".cl-snippet", f".{state}", f'data-cl-badge="{_attr(badge)}"']
    elif view is not None:
        parts += [
            ".cl-snippet",
            f".cl-{view.state}",
            f'data-cl-badge="{_attr(view.badge)}"',
            f'data-cl-state="{view.state}"',
            f'data-cl-detail="{_attr(view.detail)}"',
        ]
        if view.copy is not None:  # Material's copy button copies data-copy when present
            parts.append(f'data-copy="{_multiline_attr(view.copy)}"')
        if view.output:
            parts.append(f'data-cl-output="{_multiline_attr(view.output)}"')
    if badge is not None and source_line is not None:
        parts.append(f'data-cl-line="{source_line}"')
    options = dict(fence.options)
    if view is not None and view.title and "title" not in options:
        options["title"] = view.title
    for key in PASSTHROUGH_OPTIONS:  # superfences escapes these itself
        if key in options:
            value = options[key]
            parts.append(f"{key}='{value}'" if '"' in value else f'{key}="{value}"')
    eol = line[len(line.rstrip("\r\n")) :]
    return f"{fence.indent}{fence.fence} {{ {' '.join(parts)} }}{eol}"


def rewrite_markdown(
    markdown: str,
    badges: dict[int, str] | dict[int, BlockView] | Callable[[int], str | BlockView | None],
    line_offset: int | None = None,
    fences: Sequence[Fence] | None = None,
) -> str:
    """``markdown`` with every tested fence rewritten; ``badges`` gives each fence's badge text
    or view by the index of its opening line (a mapping, or a function of the index).

    A view with a ``body`` replaces the block's lines (recorded output; same line count).
    With ``line_offset`` (lines before ``markdown`` in its file) each block carries its line.
    ``fences``: the fences of exactly this text, when already scanned (else scanned here).
    """
    badge_at = badges.get if isinstance(badges, dict) else badges
    lines = markdown.splitlines(keepends=True)
    if fences is None:
        fences = scan_fences([x.rstrip("\r\n") for x in lines])
    for fence in fences:
        if "test" in fence.options:
            at = None if line_offset is None else line_offset + fence.start + 1
            badge = badge_at(fence.start)
            lines[fence.start] = rewrite_fence_line(lines[fence.start], fence, badge, at)
            if isinstance(badge, BlockView) and badge.body is not None and fence.end is not None:
                _replace_body(lines, fence, badge.body)
    return "".join(lines)


def _replace_body(lines: list[str], fence: Fence, body: str) -> None:
    """Put ``body`` between the fences, indented like them, when it has as many lines."""
    old = lines[fence.start + 1 : fence.end]
    new = body.splitlines()
    if len(new) != len(old):  # never shift the lines of the rest of the page
        return
    for k, (was, text) in enumerate(zip(old, new, strict=True)):
        eol = was[len(was.rstrip("\r\n")) :]
        lines[fence.start + 1 + k] = (fence.indent + text if text else "") + eol


def about_link(page_url: str) -> str:
    """The About page's badge explanation, relative to the page (works under any base path)."""
    here = posixpath.dirname("/" + page_url) if not page_url.endswith("/") else "/" + page_url
    rel = posixpath.relpath("/" + ABOUT_URL, here.rstrip("/") or "/")
    return f"{rel.rstrip('/')}/#{ABOUT_ANCHOR}" if rel != "." else f"#{ABOUT_ANCHOR}"


_OUTPUT = re.compile(r'<div class="[^"]*\bcl-snippet\b[^"]*"[^>]*? data-cl-output="([^"]*)"')


def add_badges(page_html: str, page_url: str = "") -> str:
    """Insert the badge at the top of every marked code block, and printed output under it.

    The badge is a link to the About page's explanation; its ``title`` (hover) and the text
    shown on keyboard focus (CSS, ``data-cl-detail``) say what happened to the block.
    """
    href = _attr(about_link(page_url))

    def badge(m: re.Match[str]) -> str:
        text = m.group("badge")  # already escaped in the attribute
        kind = m.group("state") or (
            "skipped"
            if text.startswith("skipped")
            else ("validated" if text == "validated" else "tested")
        )
        detail = m.group("detail")
        if detail is None:
            return f'{m.group(0)}<span class="cl-badge cl-badge--{kind}">{text}</span>'
        # the detail moves from the block to its badge (once: pages stay small)
        return (
            f"{m.group('open')}{m.group('rest')}"
            f'<a class="cl-badge cl-badge--{kind}" href="{href}" title="{detail}">{text}</a>'
        )

    page_html = _MARKED_DIV.sub(badge, page_html)
    if "data-cl-output=" in page_html:
        page_html = _add_outputs(page_html)
    return page_html


def _add_outputs(page_html: str) -> str:
    """What a python/bash block printed, as a labelled panel after its code."""
    out: list[str] = []
    pos = 0
    for m in _OUTPUT.finditer(page_html):
        end = page_html.find("</code></pre>", m.end())
        if end < 0:
            continue
        end += len("</code></pre>")
        out.append(page_html[pos:end])
        out.append(
            '<div class="cl-output"><span class="cl-output__label">Output</span>'
            f"<pre><code>{m.group(1)}</code></pre></div>"
        )
        pos = end
    out.append(page_html[pos:])
    return "".join(out)


_SHOWN_BADGE = re.compile(
    r'(<div class="[^"]*\bcl-snippet\b[^"]*"[^>]*? data-cl-line="(?P<line>\d+)"[^>]*>)'
    r'<(?P<tag>span|a) class="cl-badge cl-badge--[a-z]+"(?P<attrs>[^>]*)>[^<]*</(?P=tag)>'
)


@dataclass(frozen=True)
class ServedVerdict:
    """How a served page must show a block whose run ended otherwise than the page said."""

    kind: str  # the badge's modifier: failed, skipped
    text: str  # the badge's words
    report: str = ""  # the whole failure report (path:line, diff, output), shown above the block


def failure_panel(report: str) -> str:
    """The failure report where the author is looking: above the block, as the log has it."""
    head, _, rest = report.partition("\n")
    body = f"<pre><code>{html.escape(rest)}</code></pre>" if rest.strip() else ""
    return (
        '<div class="admonition failure cl-snippet-failure" role="alert">'
        f'<p class="admonition-title">{html.escape(head)}</p>{body}</div>'
    )


def mark_outcomes(page_html: str, verdicts: dict[int, ServedVerdict]) -> str:
    """Replace the badges of blocks whose run ended otherwise than the page said.

    ``verdicts`` maps a block's source line to its ``ServedVerdict``. Pages are rendered while
    the blocks still run; under ``mkdocs serve`` a failure does not stop the build, so the served
    page must not keep saying "tested at build", and shows the failure report above the block.
    """

    def badge(m: re.Match[str]) -> str:
        verdict = verdicts.get(int(m.group("line")))
        if verdict is None:
            return m.group(0)
        tag, attrs = m.group("tag"), m.group("attrs")
        badge = (
            f'<{tag} class="cl-badge cl-badge--{verdict.kind}"{attrs}>'
            f"{html.escape(verdict.text)}</{tag}>"
        )
        panel = failure_panel(verdict.report) if verdict.report else ""
        return panel + m.group(1) + badge

    return _SHOWN_BADGE.sub(badge, page_html)


def served_verdict(block: Block, outcome: Outcome, shown: str) -> ServedVerdict | None:
    """What the served page must show after the run, when that differs from ``shown``."""
    if outcome.failed:
        return ServedVerdict(
            "failed", "failed: see the report above", format_failure(block, outcome)
        )
    if outcome.status == "skipped" and not shown.startswith("skipped"):
        reason = (outcome.reason or "not run").removeprefix("not run: ")
        reason = re.sub(r" [(].*[)]$", "", reason)
        return ServedVerdict("skipped", f"skipped: {reason}")
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
    # abs_src_path -> (the body parsed in start(), its tested fences): page_markdown gets the
    # same text unless an earlier hook changed it, and then needs no second scan
    scanned: dict[str, tuple[str, list[Fence]]] = field(default_factory=dict)
    serving: bool = False  # ``mkdocs serve``: failures do not stop the build; badges get fixed
    outputs: dict[str, str] = field(default_factory=dict)  # block path -> built HTML file
    views: dict[str, BlockView] = field(default_factory=dict)  # block id -> what readers see
    stale: list[tuple[Block, str]] = field(default_factory=list)  # recordings not current

    @property
    def enabled(self) -> bool:
        return os.environ.get(SWITCH_ENV, "").lower() not in ("off", "0", "false")

    def start(self, pages: Iterable[tuple[str | None, str]], report: BuildReport) -> None:
        """Parse ``(abs_src_path, src_uri)`` pages and start running their blocks."""
        if not self.enabled:
            return
        self.badges.clear()
        self.views.clear()
        self.stale.clear()
        self.offsets.clear()
        self.tested_pages.clear()
        self.scanned.clear()
        self.outputs.clear()
        self.serving = report.serving
        self.errors = 0
        blocks: list[Block] = []
        parsed: list[tuple[str, str, ParsedPage]] = []
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
                self.scanned[abs_src] = (body, page.fences)
            for err in page.errors:
                report.error(err)
            self.errors += len(page.errors)
            blocks.extend(page.blocks)
            if page.blocks:
                parsed.append((abs_src, source, page))
        self.future = None
        if not blocks:
            return
        from hooks.snippetkit.engine import Engine, RunOptions, forget_tool_versions
        from hooks.snippetkit.sessions import group_sessions, runnable_prefix

        if self.options is None:
            self.options = RunOptions()
        unrunnable: dict[str, str] = {}
        for session in group_sessions(blocks):
            n, why = runnable_prefix(session, self.options.network)
            for i, b in enumerate(session.blocks):
                self.badges[b.id] = badge_text(b, why if i >= n and b.kind != "check" else "")
                if i >= n and b.kind not in ("check", "skip"):
                    unrunnable[b.id] = why
        if self.engine is None:
            self.engine = Engine(self.options)
        else:
            forget_tool_versions()
        for abs_src, source, page in parsed:  # after the engine looked the tool versions up
            self.errors += self._plan_views(abs_src, source, page, unrunnable, report)
        self.future = self.engine.submit(blocks)

    def _plan_views(
        self,
        abs_src: str,
        source: str,
        page: ParsedPage,
        unrunnable: dict[str, str],
        report: BuildReport,
    ) -> int:
        """Decide what readers see of each block of ``page``; returns the errors reported.

        A recording that does not belong to its block (hand-edited) is always an error; one
        that is stale or missing is an error under ``CI=true`` and a note otherwise (the page
        then shows the expected output, readable). Cluster blocks may lack a recording.
        """
        from hooks.snippetkit.pageplan import plan_page

        plan = plan_page(abs_src, source, page.blocks, unrunnable)
        self.views.update(plan.views)
        for err in plan.errors:
            report.error(err)
        by_id = {b.id: b for b in page.blocks}
        self.stale.extend((by_id[i], why) for i, why in plan.stale)
        return len(plan.errors)

    def _report_stale(self, result: RunResult | None, report: BuildReport) -> None:
        """Recordings that are not current: errors under ``CI=true``, else one note per page.

        A block that failed has its failure reported already; a second message would only
        repeat that its output is not the recorded one.
        """
        failed = {b for b, o in result.outcomes.items() if o.failed} if result else set()
        stale = [(b, why) for b, why in self.stale if b.id not in failed]
        if os.environ.get(CI_ENV, "").lower() == "true":
            for block, why in stale:
                report.error(stale_error(block, why))
            return
        by_page: dict[str, list[str]] = {}
        for block, _ in stale:
            by_page.setdefault(block.path, []).append(block.id)
        for path, ids in by_page.items():
            report.info(
                f"snippets: {len(ids)} block(s) of {path} without a current recording "
                f"(the page shows their expected output): {', '.join(ids)}; "
                f"run: python -m hooks snippets --record {path}"
            )

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

        def badge(index: int) -> BlockView | str | None:  # blocks are known by their line
            block_id = f"{path}:{offset + index + 1}"
            return self.views.get(block_id) or self.badges.get(block_id)

        body, fences = self.scanned.get(abs_src_path or "", (None, None))
        known = fences if body == markdown else None
        if not self.serving:
            return rewrite_markdown(markdown, badge, fences=known)
        if abs_dest_path:
            self.outputs[path] = abs_dest_path
        return rewrite_markdown(markdown, badge, line_offset=offset, fences=known)

    def page_content(self, page_html: str, page_url: str = "") -> str:
        if not self.enabled or "cl-snippet" not in page_html:
            return page_html
        return add_badges(page_html, page_url)

    def finish(self, report: BuildReport) -> RunResult | None:
        """Wait for the runs, report failures and stale recordings, log the summary line."""
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
        self._report_stale(result, report)
        report.info(summarize(outcomes, extra_failures=self.errors))
        return result

    def _correct_served_pages(self, result: RunResult) -> None:
        """Rewrite the badges of failed or skipped blocks in the pages already written."""
        by_page: dict[str, dict[int, ServedVerdict]] = {}
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
