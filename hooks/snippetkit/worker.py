"""The long-lived Python worker of one snippet session (runs inside the sandbox).

Standard library only, started as a script: one JSON request per line on stdin, one JSON reply
per line on the protocol stream. The protocol stream is a private duplicate of the original
stdout; file descriptors 1 and 2 are pointed at per-request files so neither ``print`` nor a
child process can corrupt the protocol, and each reply carries what the block printed.

stdin is the request stream, so blocks see an empty stdin instead.

Requests: ``{"op": "exec", "code", "filename"}`` runs a ``python`` block in the session
namespace; ``{"op": "pycon", "text", "filename", "lineno"}`` runs a ``pycon`` block by doctest
rules (ELLIPSIS on) and replies with every example's expected and actual output.
"""

from __future__ import annotations

import doctest
import json
import linecache
import os
import sys
import tempfile
import traceback
from typing import Any

NAMESPACE: dict[str, Any] = {"__name__": "__main__", "__builtins__": __builtins__}
_TAIL = 12
#: What a reply carries of a block's stdout and of its stderr (and of each doctest example's
#: output): the host reads at most 16 MiB of one reply (``context.MAX_REPLY_BYTES``).
OUTPUT_CAP = 1 << 20


def _capped(data: bytes) -> str:
    """At most ``OUTPUT_CAP`` bytes as text, with the sandbox's notice when cut."""
    if len(data) <= OUTPUT_CAP:
        return data.decode("utf-8", "replace")
    text = data[:OUTPUT_CAP].decode("utf-8", "replace")
    return text + ("" if text.endswith("\n") else "\n") + "[output truncated at 1 MiB]\n"


class _Capture:
    """Point fds 1 and 2 at temporary files for the duration of one request."""

    def __enter__(self) -> _Capture:
        sys.stdout.flush()
        sys.stderr.flush()
        self.out = tempfile.TemporaryFile()
        self.err = tempfile.TemporaryFile()
        self.saved = os.dup(1), os.dup(2)
        os.dup2(self.out.fileno(), 1)
        os.dup2(self.err.fileno(), 2)
        return self

    def __exit__(self, *exc: object) -> None:
        sys.stdout.flush()
        sys.stderr.flush()
        os.dup2(self.saved[0], 1)
        os.dup2(self.saved[1], 2)
        os.close(self.saved[0])
        os.close(self.saved[1])

    def read(self) -> tuple[str, str]:
        texts = []
        for f in (self.out, self.err):
            f.seek(0)
            texts.append(_capped(f.read(OUTPUT_CAP + 1)))
            f.close()
        return texts[0], texts[1]


def _exception_tail(filename: str) -> str:
    """The last lines of the traceback, without the worker's own frames."""
    etype, value, tb = sys.exc_info()
    frames = [f for f in traceback.extract_tb(tb) if f.filename != __file__]
    lines = traceback.format_list(frames) + traceback.format_exception_only(etype, value)
    text = "Traceback (most recent call last):\n" + "".join(lines)
    return "\n".join(text.rstrip("\n").splitlines()[-_TAIL:])


_SOURCES: dict[str, list[str]] = {}


def _remember(filename: str, code: str) -> None:
    """Let tracebacks quote the Markdown lines: blocks are padded to their source line."""
    lines = _SOURCES.setdefault(filename, [])
    for i, line in enumerate(code.splitlines(keepends=True)):
        if i >= len(lines):
            lines.append(line)
        elif line.strip():
            lines[i] = line
    linecache.cache[filename] = (sum(map(len, lines)), None, lines, filename)


def run_exec(req: dict[str, Any]) -> dict[str, Any]:
    error = ""
    with _Capture() as cap:
        try:
            _remember(req["filename"], req["code"])
            code = compile(req["code"], req["filename"], "exec")
            exec(code, NAMESPACE)
        except SystemExit as exc:
            if exc.code not in (None, 0):
                error = f"SystemExit: {exc.code}"
        except BaseException:
            error = _exception_tail(req["filename"])
    out, err = cap.read()
    return {"ok": not error, "error": error, "stdout": out, "stderr": err}


class _Recorder(doctest.DocTestRunner):
    """A doctest runner that keeps every example's actual output (for diffs and --update)."""

    def __init__(self) -> None:
        super().__init__(verbose=False, optionflags=doctest.ELLIPSIS)
        self.results: list[dict[str, Any]] = []

    def _record(self, example: doctest.Example, got: str, ok: bool) -> None:
        self.results.append(
            {
                "lineno": example.lineno,
                "source": example.source,
                "want": example.want,
                "got": _capped(got.encode("utf-8", "replace")),
                "ok": ok,
            }
        )

    def report_start(self, out: Any, test: Any, example: doctest.Example) -> None:
        pass

    def report_success(self, out: Any, test: Any, example: doctest.Example, got: str) -> None:
        self._record(example, got, True)

    def report_failure(self, out: Any, test: Any, example: doctest.Example, got: str) -> None:
        self._record(example, got, False)

    def report_unexpected_exception(self, out: Any, test: Any, example: Any, exc_info: Any) -> None:
        etype, value, _ = exc_info
        got = "Traceback (most recent call last):\n  ...\n" + "".join(
            traceback.format_exception_only(etype, value)
        )
        self._record(example, got, False)


def run_pycon(req: dict[str, Any]) -> dict[str, Any]:
    parser = doctest.DocTestParser()
    with _Capture() as cap:
        try:
            test = parser.get_doctest(
                req["text"], NAMESPACE, req["filename"], req["filename"], req.get("lineno", 0)
            )
            test.globs = NAMESPACE  # share the session namespace, do not copy it
            runner = _Recorder()
            runner.run(test, clear_globs=False, out=lambda s: None)
            results, error = runner.results, ""
        except BaseException:
            results, error = [], _exception_tail(req["filename"])
    out, err = cap.read()
    ok = not error and all(r["ok"] for r in results)
    return {"ok": ok, "error": error, "examples": results, "stdout": out, "stderr": err}


def main() -> None:
    proto = os.fdopen(os.dup(1), "w", encoding="utf-8")
    requests = os.fdopen(os.dup(0), "r", encoding="utf-8")
    # Blocks get an empty stdin: input() must not eat the next request.
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.close(devnull)
    sys.stdin = open(os.devnull, encoding="utf-8")  # noqa: SIM115 - lives as long as the worker
    sys.path.insert(0, "")  # like an interactive session: modules written with file= import
    for line in requests:
        req = json.loads(line)
        reply = run_pycon(req) if req.get("op") == "pycon" else run_exec(req)
        proto.write(json.dumps(reply) + "\n")
        proto.flush()


if __name__ == "__main__":
    main()
