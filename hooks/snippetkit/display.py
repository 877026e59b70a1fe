"""What a reader sees of a tested block: its body, its badge, what its copy button copies.

Decided before anything runs, from the Markdown and the committed transcript store only, so a
page never depends on what this machine printed (byte-identical builds):

- the body: a console or pycon block shows its *recorded* output in place of the expected
  output (patterns are for checking); without a current recording, each pattern line is shown
  in readable form (``readable.py``). The line count never changes.
- the badge and its detail (on hover and keyboard focus): where and with what the block last
  ran, and what every build does with it; it links to the About page's explanation.
- the copy text of a console block: its commands only (continuation lines included).
- the title: ``file="NAME"`` unless the block has its own ``title=``.
"""

from __future__ import annotations

from dataclasses import dataclass

from hooks.snippetkit.model import Block
from hooks.snippetkit.readable import pattern_kind, readable_line
from hooks.snippetkit.transcripts import Recording, is_cluster_block

#: Badge states (CSS class ``cl-badge--<state>``).
STATES = ("tested", "validated", "cluster", "skipped", "failed")


@dataclass(frozen=True)
class BlockView:
    state: str
    badge: str
    detail: str
    body: str | None = None  # the block's text as shown (None: as written)
    copy: str | None = None  # what the copy button copies (None: Material's default)
    output: str = ""  # what a python/bash block printed, shown under it
    title: str | None = None


# -- console ---------------------------------------------------------------------------------
def _console_commands(text: str) -> tuple[list[str], list[tuple[list[str], list[str]]]]:
    """Lines before the first prompt, and (command lines as written, expected lines) per
    ``$ `` command, as the runner reads them."""
    from hooks.snippetkit.runners.console import parse_console

    lead, commands = parse_console(text)
    return lead, [(c.lines, c.expected) for c in commands]


def console_copy(text: str) -> str:
    """The commands of a transcript, prompts removed, continuation lines kept."""
    out: list[str] = []
    for lines, _ in _console_commands(text)[1]:
        out.extend(line[2:] if len(line) > 1 else "" for line in lines)
    return "\n".join(out)


def _split_expected(expected: list[str]) -> tuple[list[str], list[str]]:
    """(output lines, trailing lines kept as written: blank lines and a final ``[N]``)."""
    end = len(expected)
    while end and not expected[end - 1].strip():
        end -= 1
    if (
        end
        and expected[end - 1].strip().startswith("[")
        and expected[end - 1].strip()[1:-1].isdigit()
    ):
        end -= 1
        while end and not expected[end - 1].strip():
            end -= 1
    return expected[:end], expected[end:]


def console_body(text: str, rec: Recording | None) -> str:
    """The transcript as shown: recorded output, or the expected output made readable."""
    lead, commands = _console_commands(text)
    out = list(lead)
    for i, (lines, expected) in enumerate(commands):
        out.extend(lines)
        shown, tail = _split_expected(expected)
        recorded = (
            rec.steps[i].output.splitlines() if rec is not None and i < len(rec.steps) else None
        )
        if recorded is not None and len(recorded) == len(shown):
            out.extend(recorded)
        else:
            out.extend(readable_line(x) for x in shown)
        out.extend(tail)
    return "".join(x + "\n" for x in out)


def console_recording_problem(block: Block, rec: Recording) -> str:
    """Why a console recording does not belong to this block ('' when it does)."""
    from hooks.snippetkit.runners.console import output_matches, parse_console

    _, commands = parse_console(block.text)
    if len(rec.steps) != len(commands):
        return f"has {len(rec.steps)} commands recorded, the block has {len(commands)}"
    for n, (cmd, step) in enumerate(zip(commands, rec.steps, strict=True), start=1):
        if step.source != cmd.code:
            return f"records another command as command {n}"
        if step.status != cmd.expected_status:
            return f"records exit status {step.status} for command {n}"
        if not output_matches(cmd.expected_output, step.output.splitlines()):
            return f"records output of command {n} that the block's expected output rejects"
    return ""


# -- pycon -----------------------------------------------------------------------------------
def pycon_body(text: str, rec: Recording | None) -> str | None:
    """Recorded output in place of each example's expected output, where it has as many lines.

    A doctest-style traceback (``Traceback ...:``, ``...``, the exception) stays as written:
    it is how Python documents an exception, and its exception line is checked exactly.
    """
    if rec is None:
        return None
    import doctest  # only when a plan is made: a warm build takes the plan from the cache

    try:
        examples = doctest.DocTestParser().get_examples(text)
    except ValueError:
        return None
    if len(examples) != len(rec.steps):
        return None
    lines = text.splitlines()
    for ex, step in zip(examples, rec.steps, strict=True):
        want = ex.want.splitlines()
        got = step.output.splitlines()
        if not want or len(want) != len(got) or ex.want.startswith("Traceback"):
            continue
        first = ex.lineno + len(ex.source.splitlines())
        indent = " " * ex.indent
        for k, line in enumerate(got):
            lines[first + k] = indent + (line if line else "<BLANKLINE>")
    return "".join(x + "\n" for x in lines)


def pycon_recording_problem(block: Block, rec: Recording) -> str:
    import doctest

    try:
        examples = doctest.DocTestParser().get_examples(block.text)
    except ValueError as exc:
        return f"cannot be matched to the block ({exc})"
    if [ex.source for ex in examples] != [s.source for s in rec.steps]:
        return "records other examples than the block's"
    checker = doctest.OutputChecker()
    for n, (ex, step) in enumerate(zip(examples, rec.steps, strict=True), start=1):
        if ex.exc_msg is None and not checker.check_output(
            ex.want, step.output + ("\n" if step.output else ""), doctest.ELLIPSIS
        ):
            return f"records output of example {n} that the block's expected output rejects"
    return ""


def recording_problem(block: Block, rec: Recording) -> str:
    """Why ``rec`` cannot stand for ``block``'s output although its key matches ('' if it can).

    The store is committed content like the post: a hand-edited recording must still be
    output the block's own expectations accept.
    """
    if block.kind == "console":
        return console_recording_problem(block, rec)
    if block.kind == "pycon":
        return pycon_recording_problem(block, rec)
    if len(rec.steps) != 1:
        return "must record one output for the whole block"
    return ""


# -- badges ----------------------------------------------------------------------------------
def _minor(version: str) -> str:
    return ".".join(version.split(".")[:2])


def where_it_ran(rec: Recording) -> tuple[str, str]:
    """(badge text, detail) of a block recorded by the e2e workflow."""
    t = rec.toolchain
    if rec.ran == "kind":
        kind = _minor(t.get("kind", "?"))
        kube = _minor(t.get("kubernetes", "?")).removeprefix("v")
        badge = f"ran on kind {kind} · Kubernetes {kube} · {rec.date}"
        versions = ", ".join(f"{k} {v}" for k, v in t.items())
        detail = (
            f"Ran against a kind cluster ({versions}) on {rec.date}, in the e2e workflow; the "
            "output shown is what it printed there."
        )
        return badge, detail
    versions = ", ".join(f"{k} {v}" for k, v in t.items()) or "no versioned tools"
    badge = f"ran with network access · {rec.date}"
    detail = (
        f"Ran with network access ({versions}) on {rec.date}, in the e2e workflow; the output "
        "shown is what it printed there."
    )
    return badge, detail


def _needs(block: Block) -> str:
    return (
        ", ".join(block.requires)
        if block.requires
        else "what an earlier block of its session needs"
    )


#: What the e2e workflow (``.github/workflows/e2e.yml``) gives the blocks it runs.
E2E_TOOLS = frozenset({"docker", "kind", "kubectl", "network", "git", "curl"})
#: Languages whose blocks are terminal transcripts (``$ `` prompts).
CONSOLE_LANGS = frozenset({"console", "shell-session"})
STATIC = (
    "Every build checks its commands with bash -n and shellcheck, and each manifest in them "
    "against the Kubernetes schema, without running them."
)
UNRECORDED = (
    "Until it is recorded, the expected output is shown, with <placeholders> for the parts "
    "that change from run to run."
)


def view(
    block: Block,
    rec: Recording | None,
    *,
    current: bool,
    unrunnable: str = "",
) -> BlockView:
    """The reader's view of ``block``; ``rec`` is shown only when ``current``."""
    shown = rec if current else None
    title = block.file if block.file and "title" not in block.options else None
    # a transcript's copy button copies its commands, whatever the block's test mode
    copy = console_copy(block.text) if block.lang.lower() in CONSOLE_LANGS else None
    if block.test == "skip":
        reason = block.options.get("reason", "").strip()
        detail = f"Not run by the build: {reason}."
        return BlockView("skipped", f"skipped: {reason}", detail, copy=copy, title=title)
    if block.test == "check":
        detail = f"Checked at every build without running it: {_check_what(block)}."
        only, documents = yaml_only_documents(block)
        badge = "validated"
        if only:
            detail += (
                f" {', '.join(only)}: a configuration file, not an API object, and no schema of "
                "it ships with the toolchain, so it is checked as YAML only."
            )
            if len(only) == documents:
                badge = "validated · YAML only"
        return BlockView("validated", badge, detail, copy=copy, title=title)
    body: str | None = None
    output = ""
    if block.kind == "console":
        body = console_body(block.text, shown)
    elif block.kind == "pycon":
        body = pycon_body(block.text, shown)
    elif block.kind in ("python", "shell") and shown is not None and shown.steps:
        output = shown.steps[0].output
    if unrunnable:
        if shown is not None:
            badge, detail = where_it_ran(shown)
            return BlockView("cluster", badge, f"{detail} {STATIC}", body, copy, output, title)
        if set(block.requires) <= E2E_TOOLS:
            where = "on a cluster in CI" if is_cluster_block(block) else "in CI"
            badge = f"validated · runs {where}"
            runs = f"the e2e workflow runs it {where.removesuffix(' in CI')} and records its output"
        else:  # nothing here promises to run it
            badge = f"validated · needs {_needs(block)}"
            runs = "no CI job of this site has it"
        detail = f"Needs {_needs(block)}, which the site build does not have; {runs}. {STATIC}"
        if any(pattern_kind(x)[0] for x in block.text.splitlines()):
            detail += " " + UNRECORDED
        return BlockView("validated", badge, detail, body, copy, output, title)
    detail = f"Runs at every build in the sandbox: {_passes_when(block)}."
    if shown is not None:
        tool = ", ".join(f"{k} {v}" for k, v in shown.toolchain.items())
        printed = "the output shown" if block.kind in ("console", "pycon") or output else "it"
        detail += (
            f" Recorded with {tool} on {shown.date}: {printed} is from that run; later builds "
            "run it again or reuse a cached pass."
        )
    elif block.kind in ("console", "pycon"):
        detail += " No current recording: the expected output is shown."
    return BlockView("tested", "tested at build", detail, body, copy, output, title)


def _passes_when(block: Block) -> str:
    if block.kind == "console":
        return "each command's output and exit status must match the expected output in the post"
    if block.kind == "pycon":
        return "each example's output must match, as in doctest"
    if block.kind == "python":
        return "it passes when no exception escapes (its asserts hold)"
    if block.kind == "shell":
        return "the script must exit with status 0"
    return f"it is written into its session's folder as {block.file}, for the blocks after it"


def yaml_only_documents(block: Block) -> tuple[list[str], int]:
    """The documents of a ``yaml`` check block the validators can read as YAML only (a
    ``KubeletConfiguration``, kubeadm's ``ClusterConfiguration``...: ``configfiles.py`` notes
    them rather than checking a schema), each as "Kind (read by ...)", and how many documents
    the block has. A badge must not claim a schema check that never happened."""
    if block.lang.lower() not in ("yaml", "yml"):
        return [], 0
    import yaml

    from hooks.validators import configfiles  # on a page-plan miss only

    try:
        documents = [d for d in yaml.safe_load_all(block.text) if d is not None]
    except (yaml.YAMLError, RecursionError, ValueError):  # "[[[[...": deep nesting too
        return [], 0  # the check itself reports it
    only = []
    for doc in documents:
        api, kind = (doc.get(k) if isinstance(doc, dict) else None for k in ("apiVersion", "kind"))
        if not (isinstance(api, str) and isinstance(kind, str)):
            continue
        reader = configfiles.program(api, kind)
        checked = (api, kind) == ("v1", "Config") or api.startswith("kustomize.config.k8s.io/")
        if reader is not None and not checked:  # kubeconfig and kustomize have their own types
            only.append(f"{kind} (read by {reader})")
    return only, len(documents)


def _check_what(block: Block) -> str:
    lang = block.lang.lower()
    if lang == "yaml":
        return (
            "parsed, then validated against the Kubernetes API schema (or kind's config "
            "schema, or a CRD shown earlier on the page)"
        )
    if lang in ("bash", "sh", "console"):
        return "bash -n and shellcheck"
    if lang == "python":
        return "it compiles"
    if lang == "dockerfile":
        return "it parses as a Dockerfile"
    return "validated"
