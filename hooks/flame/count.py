"""Lines of code per file: run cloc, or read a table it printed, into ``FileCount`` records.

cloc's ``--by-file --csv`` output is not stable across versions, which is exactly what breaks the
well-known ``sed '1,2d' | cut -f 2,5`` one-liner:

* up to cloc 1.92 a blank line preceded the header; since 1.94 ``--quiet`` drops it, so deleting
  two lines now deletes the largest file (rows are sorted by code lines, largest first);
* the header's sixth field names the cloc version (and, without ``--hide-rate``, a timing);
* the final ``SUM`` row used commas even under ``--csv-delimiter`` before cloc #597, and uses the
  custom delimiter since; fed to flamegraph.pl it becomes an empty stack that doubles the root;
* cloc does not quote file names (checked up to 2.10): a file ``a,b.go`` gives a row with one
  field too many;
* without ``--quiet`` progress lines come first; ``--by-file-by-lang`` appends a second table.

So the parser finds the header by its content, wherever it is, takes the delimiter from the
header itself, looks columns up by name, folds extra middle fields back into the file name,
stops at the ``SUM`` row (whatever its delimiter) and checks the rows add up to it, and makes
every path relative (a leading ``./``, or a common absolute directory, is stripped).
"""

from __future__ import annotations

import csv
import io
import re
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from hooks.errors import ToolMissingError
from hooks.flame import FlameError

#: The options every count uses: one row per file, CSV, no progress lines, no timing (determinism).
CLOC_OPTIONS: tuple[str, ...] = ("--by-file", "--csv", "--quiet", "--hide-rate")
#: How a person gets cloc (Debian package; ``make setup`` installs it too).
CLOC_INSTALL_HINT = "install it with `sudo apt-get install cloc` (or run `make setup`)"

_REQUIRED_COLUMNS = ("language", "filename", "code")
_SUM_ROW = re.compile(r"^\s*\"?SUM\"?(?:[^\w]|$)")


@dataclass(frozen=True, order=True)
class FileCount:
    """One file of a cloc table: project-relative POSIX path, cloc's language, code lines."""

    path: str
    language: str
    code: int


# --------------------------------------------------------------------------- parsing


def _find_header(lines: Sequence[str]) -> tuple[int, str] | None:
    """Index of the header line and its delimiter, found by content (never by position).

    The delimiter is whichever punctuation character splits the line into fields that include
    ``language``, ``filename`` and ``code`` (cloc's ``--csv-delimiter`` can be anything).
    """
    for index, line in enumerate(lines):
        stripped = line.lstrip("\ufeff").strip()
        lowered = stripped.lower()
        if not all(col in lowered for col in _REQUIRED_COLUMNS):
            continue
        candidates = sorted({ch for ch in stripped if not ch.isalnum() and ch not in ' "_-./'})
        for delimiter in candidates:
            fields = next(csv.reader([stripped], delimiter=delimiter))
            names = [f.strip().lower() for f in fields]
            if all(col in names for col in _REQUIRED_COLUMNS):
                return index, delimiter
    return None


def parse_cloc_csv(
    text: str, *, origin: str = "cloc output", base: str | None = None
) -> list[FileCount]:
    """Parse a cloc ``--by-file --csv`` table (any cloc from 1.82 to 2.x, any delimiter).

    ``origin`` names the input in error messages (a path as the user typed it, never a path of
    the build machine). ``base``, when cloc was given an absolute directory, is stripped from
    every path so the records stay relative; without it, paths that are all absolute lose their
    common directory (``cloc /home/me/src`` must not put ``home;me`` into the graph). Reading
    stops at the ``SUM`` row (or a second header: ``--by-file-by-lang`` prints a per-language
    table after it), and the rows must add up to that row's code column. Raises ``FlameError``.
    """
    lines = text.splitlines()
    found = _find_header(lines)
    if found is None:
        if _looks_like_by_language(lines):
            raise FlameError(
                f"{origin}: this is cloc's per-language table; count per file with "
                "`cloc --by-file --csv --quiet --hide-rate DIR`"
            )
        raise FlameError(
            f"{origin}: not a cloc --by-file CSV table (no header line starting with "
            "'language,filename,blank,comment,code'); produce one with "
            "`cloc --by-file --csv --quiet --hide-rate DIR > table.csv`"
        )
    header_index, delimiter = found
    header_row = next(csv.reader([lines[header_index].lstrip("\ufeff")], delimiter=delimiter))
    header = [f.strip().lower() for f in header_row]
    col = {name: header.index(name) for name in _REQUIRED_COLUMNS}
    width = _data_width(header)

    counts: list[tuple[int, str, int]] = []  # (line number, language, code lines) per row
    names: list[str] = []  # kept apart: a common absolute prefix is known only at the end
    sum_row: tuple[int, int] | None = None  # (line number, code lines it states)
    body = lines[header_index + 1 :]
    for offset, row in enumerate(csv.reader(body, delimiter=delimiter)):
        raw = body[offset] if offset < len(body) else ""
        line_no = header_index + offset + 2
        if not row or not "".join(row).strip():
            if counts:  # a blank line after the data ends the per-file table
                break
            continue
        if _SUM_ROW.match(raw) or row[0].strip() == "SUM":
            sum_row = (line_no, _sum_code(raw, row, delimiter, col["code"], origin, line_no))
            break
        if _is_header(row):
            break  # another table follows without a SUM row in between
        if len(row) < width:
            raise FlameError(
                f"{origin}:{line_no}: expected at least {width} fields separated by "
                f"{delimiter!r}, found {len(row)}"
            )
        row = _rejoin_file_name(row, width, col["filename"], delimiter)
        counts.append((line_no, row[col["language"]].strip(), _code(row, col, origin, line_no)))
        names.append(row[col["filename"]].strip())
    paths = _relative_paths(names, base)
    records = []
    for path, (line_no, language, code) in zip(paths, counts, strict=True):
        if not path:
            raise FlameError(f"{origin}:{line_no}: empty file name")
        check_row(f"{origin}:{line_no}", path, language, code)
        records.append(FileCount(path=path, language=language, code=code))
    if sum_row is not None:
        _check_total(records, sum_row, origin)
    return records


def _data_width(header: Sequence[str]) -> int:
    """How many fields a data row has: up to the last column cloc fills per file.

    cloc's header carries a sixth field (its version) that rows do not have, so the width is
    the position of the last known column name, not the header's length.
    """
    known = ("language", "filename", "blank", "comment", "code")
    return max(header.index(name) for name in known if name in header) + 1


def _rejoin_file_name(row: list[str], width: int, filename: int, delimiter: str) -> list[str]:
    """A row whose file name held the delimiter, put back together (cloc never quotes names).

    ``cloc`` prints ``Go,./a,b.go,0,0,3`` for a file ``a,b.go``: every extra field is part of the
    name, so the fields before the name are read from the left, those after it from the right.
    """
    extra = len(row) - width
    if extra <= 0:
        return row
    name = delimiter.join(row[filename : filename + extra + 1])
    return [*row[:filename], name, *row[filename + extra + 1 :]]


def _code(row: Sequence[str], col: dict[str, int], origin: str, line_no: int) -> int:
    try:
        return int(row[col["code"]].strip())
    except ValueError:
        raise FlameError(
            f"{origin}:{line_no}: the code column holds {row[col['code']]!r}, not a number"
        ) from None


def _sum_code(
    raw: str, row: Sequence[str], delimiter: str, code: int, origin: str, line_no: int
) -> int:
    """The code lines cloc's ``SUM`` row states (written with commas before cloc #597)."""
    fields = list(row) if len(row) > code else raw.split(",")
    try:
        return int(fields[code].strip().strip('"'))
    except (IndexError, ValueError):
        raise FlameError(
            f"{origin}:{line_no}: the SUM row has no code total in field {code + 1}"
        ) from None


def _check_total(records: Sequence[FileCount], sum_row: tuple[int, int], origin: str) -> None:
    """The rows must add up to cloc's own total: a mismatch means rows were lost or misread."""
    line_no, stated = sum_row
    counted = sum(r.code for r in records)
    if counted != stated:
        raise FlameError(
            f"{origin}:{line_no}: the rows add up to {counted:,} code lines but cloc's SUM row "
            f"says {stated:,}; the table is incomplete or was edited (count it again with "
            "`cloc --by-file --csv --quiet --hide-rate DIR`)"
        )


def _is_header(row: Sequence[str]) -> bool:
    if row[0].strip().lower() not in ("language", "files"):
        return False  # every cloc header starts with one of these (a cheap test per row)
    names = {f.strip().lower() for f in row}
    return {"language", "code"} <= names and bool(names & {"filename", "files"})


_ABSOLUTE = re.compile(r"^(?:[A-Za-z]:)?/")


def _relative_paths(names: Sequence[str], base: str | None) -> list[str]:
    """cloc's file names as relative POSIX paths, without ``base`` or a common absolute prefix."""
    cleaned = [name.replace("\\", "/") for name in names]
    if base:
        prefix = base.replace("\\", "/").rstrip("/") + "/"
        cleaned = [n[len(prefix) :] if n.startswith(prefix) else n for n in cleaned]
    elif cleaned and all(_ABSOLUTE.match(n) for n in cleaned):
        prefix = _common_directory(cleaned)
        cleaned = [n[len(prefix) :] for n in cleaned]
    return [normalise_path(n) for n in cleaned]


def _common_directory(paths: Sequence[str]) -> str:
    """The longest directory prefix (ending in ``/``) that every path shares."""
    first, last = min(paths), max(paths)
    shared = 0
    for a, b in zip(first, last, strict=False):
        if a != b:
            break
        shared += 1
    return first[: first.rfind("/", 0, shared) + 1]


#: Bounds on one row of a table (tables arrive in pull requests): far above any real repository
#: (kubernetes/kubernetes nests 16 deep; its largest generated file has about 70,000 lines).
MAX_DEPTH = 64
MAX_CODE_LINES = 100_000_000
_FORBIDDEN_CHARS = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def check_row(where: str, path: str, language: str, code: int) -> None:
    """Refuse a row the drawing could not show (``where`` is ``table.csv:LINE``).

    A 1,500-level path, a 400-digit count or a control character in a name would otherwise
    end as a RecursionError, an OverflowError or an SVG that is not well-formed XML.
    """
    for what, text in (("file name", path), ("language", language)):
        bad = _FORBIDDEN_CHARS.search(text)
        if bad:
            raise FlameError(
                f"{where}: the {what} holds the control character U+{ord(bad[0]):04X}; "
                "rename the file or remove the row"
            )
    depth = path.count("/") + 1
    if depth > MAX_DEPTH:
        raise FlameError(f"{where}: the path is {depth} levels deep; at most {MAX_DEPTH} are drawn")
    if not -MAX_CODE_LINES <= code <= MAX_CODE_LINES:
        raise FlameError(
            f"{where}: {len(str(abs(code)))}-digit code count; at most {MAX_CODE_LINES:,} lines "
            "per file"
        )


def _looks_like_by_language(lines: Sequence[str]) -> bool:
    """A per-language header anywhere (progress output may push it down any number of lines)."""
    return any(line.strip().lower().startswith("files,language") for line in lines)


def normalise_path(name: str) -> str:
    """A cloc file name as a relative POSIX path: ``./a/b.go`` -> ``a/b.go``."""
    path = name.strip().replace("\\", "/")
    while path.startswith("./"):
        path = path[2:]
    return path.lstrip("/")


def read_cloc_csv(path: Path, *, origin: str | None = None) -> list[FileCount]:
    """Read and parse a cloc table from a file."""
    shown = origin or str(path)
    try:
        text = path.read_text(encoding="utf-8-sig", errors="replace")
    except OSError as exc:
        raise FlameError(f"{shown}: cannot read: {exc.strerror or exc}") from None
    return parse_cloc_csv(text, origin=shown)


# --------------------------------------------------------------------------- running cloc


def cloc_executable() -> str:
    """The absolute path of cloc, or ``ToolMissingError`` saying how to install it."""
    found = shutil.which("cloc")
    if not found:
        raise ToolMissingError(f"cloc is not installed; {CLOC_INSTALL_HINT}")
    return found


def cloc_version() -> str:
    """cloc's version string (part of cache keys: another cloc may count differently).

    Cached by cloc's path, size and mtime (``hooks.toolversion``): a warm build runs no cloc.
    """
    from hooks.toolversion import tool_version

    return tool_version(cloc_executable())


def _run(
    argv: Sequence[str],
    *,
    stdin: str | None = None,
    readable: Sequence[Path] = (),
    timeout: float,
    origin: str,
) -> str:
    """Run cloc in the shared sandbox (a fresh, empty working directory); return its stdout.

    cloc is a trusted tool but the files it reads arrive in pull requests: the sandbox bounds
    its time, memory and output, and gives it nothing to write but its own scratch directory.
    """
    from hooks import sandbox

    limits = sandbox.Limits(timeout=timeout, memory_bytes=4 << 30, output_bytes=256 << 20)
    with tempfile.TemporaryDirectory(prefix="flame-cloc-") as scratch:
        try:
            res = sandbox.run(
                list(argv), workdir=Path(scratch), stdin=stdin, limits=limits, readable=readable
            )
        except sandbox.SandboxUnavailableError as exc:
            raise FlameError(f"{origin}: cloc not run: {exc}") from None
    if res.timed_out:
        raise FlameError(f"{origin}: cloc took longer than {timeout:.0f} s and was stopped")
    if res.truncated:
        raise FlameError(
            f"{origin}: cloc printed more than the output limit; count a smaller directory"
        )
    if res.returncode != 0:
        detail = (res.stderr.strip().splitlines() or ["no message"])[-1]
        raise FlameError(f"{origin}: cloc failed (exit code {res.returncode}): {detail}")
    unreadable = [
        line.split(":", 1)[1].strip()
        for line in res.stderr.splitlines()
        if line.startswith("Unable to read:")
    ]
    if unreadable:
        raise FlameError(
            f"{origin}: cloc could not read {len(unreadable)} file(s); the sandboxed cloc runs "
            "as an unprivileged user, so make them readable by others (chmod -R o+rX DIR)"
        )
    return res.stdout


def git_files(directory: Path) -> list[str] | None:
    """Tracked files under ``directory`` (relative to it), or None outside a git work tree.

    This is what ``cloc --vcs=git`` counts; listing them here and handing cloc the list keeps
    git (and its ownership checks) out of the sandbox.
    """
    if shutil.which("git") is None:
        return None
    proc = subprocess.run(
        ["git", "-C", str(directory), "ls-files", "-z", "--cached"],
        capture_output=True,
        check=False,
    )
    if proc.returncode != 0:
        return None
    names = [n for n in proc.stdout.decode("utf-8", "surrogateescape").split("\0") if n]
    return sorted(set(n for n in names if "\n" not in n and (directory / n).is_file()))


def count_directory(
    directory: Path,
    *,
    exclude_dirs: Sequence[str] = (),
    vcs: str = "auto",
    origin: str | None = None,
    timeout: float = 900.0,
) -> list[FileCount]:
    """Run cloc on ``directory``; paths in the result are relative to it.

    ``vcs``: ``"git"`` counts only files git tracks (like ``cloc --vcs=git``: no build output,
    no untracked junk), ``"none"`` counts everything cloc finds, ``"auto"`` picks git when the
    directory is inside a git work tree. ``exclude_dirs`` is cloc's ``--exclude-dir`` list.
    """
    shown = origin or str(directory)
    if not directory.is_dir():
        raise FlameError(f"{shown}: no such directory")
    target = directory.resolve()
    argv = [cloc_executable(), *CLOC_OPTIONS]
    if exclude_dirs:
        argv.append("--exclude-dir=" + ",".join(exclude_dirs))
    stdin = None
    tracked = git_files(target) if vcs in ("git", "auto") else None
    if vcs == "git" and tracked is None:
        raise FlameError(f"{shown}: not inside a git work tree (count it all with --vcs none)")
    if tracked is not None:
        excluded = set(exclude_dirs)
        tracked = [n for n in tracked if not excluded.intersection(n.split("/")[:-1])]
        if not tracked:
            raise FlameError(f"{shown}: git tracks no files here; there is nothing to count")
        argv.append("--list-file=-")
        stdin = "".join(f"{target}/{n}\n" for n in tracked)
    else:
        if not any(p.is_file() for p in target.rglob("*")):
            raise FlameError(f"{shown}: the directory holds no files; there is nothing to count")
        argv.append(str(target))
    text = _run(argv, stdin=stdin, readable=[target], timeout=timeout, origin=shown)
    if not text.strip():
        raise FlameError(f"{shown}: cloc found no source code to count")
    return parse_cloc_csv(text, origin=f"cloc output for {shown}", base=str(target))


def git_tree_id(repo: Path, treeish: str = "HEAD") -> str | None:
    """The id of ``treeish``'s tree (what ``self`` counts and caches by), None without git."""
    if shutil.which("git") is None:
        return None
    proc = subprocess.run(
        ["git", "-C", str(repo), "rev-parse", "--verify", "--quiet", f"{treeish}^{{tree}}"],
        capture_output=True,
        text=True,
        check=False,
    )
    return proc.stdout.strip() if proc.returncode == 0 and proc.stdout.strip() else None


def export_git_tree(repo: Path, tree: str, dest: Path, skip: Sequence[str] = ()) -> None:
    """Write the regular files of ``tree`` under ``dest`` (``git archive``, no working tree).

    Counting the committed tree rather than the working directory makes ``self`` reproducible:
    uncommitted edits, build output and caches never reach the picture. Paths under a ``skip``
    folder (project-relative, e.g. ``docs/assets/data``) are left out.
    """
    prefixes = tuple(s.strip("/") + "/" for s in skip)
    proc = subprocess.run(
        ["git", "-C", str(repo), "archive", "--format=tar", tree],
        capture_output=True,
        check=False,
    )
    if proc.returncode != 0:
        raise FlameError(f"git archive failed: {proc.stderr.decode(errors='replace').strip()}")
    import tarfile  # 10 ms to import; only a cold count of the git tree needs it

    with tarfile.open(fileobj=io.BytesIO(proc.stdout)) as tar:
        for member in tar.getmembers():
            parts = Path(member.name).parts
            if not member.isfile() or member.name.startswith("/") or ".." in parts:
                continue
            if member.name.startswith(prefixes):
                continue
            target = dest.joinpath(*parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            source = tar.extractfile(member)
            if source is not None:
                target.write_bytes(source.read())
                target.chmod(0o644)


def count_git_tree(
    repo: Path, tree: str, *, skip: Sequence[str] = (), timeout: float = 300.0
) -> list[FileCount]:
    """cloc's counts for a committed git tree (extracted to a temporary directory)."""
    with tempfile.TemporaryDirectory(prefix="flame-tree-") as tmp:
        root = Path(tmp)
        root.chmod(0o755)  # the sandboxed cloc may run as another (unprivileged) user
        export_git_tree(repo, tree, root, skip)
        for folder in root.rglob("*"):
            if folder.is_dir():
                folder.chmod(0o755)
        return count_directory(root, vcs="none", origin=f"git tree {tree[:12]}", timeout=timeout)
