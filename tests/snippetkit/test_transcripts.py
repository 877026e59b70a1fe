"""Recorded transcripts: --record writes them, pages show them, stale ones fail under CI=true.

Every test drives what a contributor or reader meets: the CLI, the committed store file, the
built HTML of a small MkDocs site that loads the real hooks, pytest's own verdict.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner, Result

from hooks import PROJECT_ROOT
from hooks.snippetkit.cli import snippets
from hooks.snippetkit.readable import readable_line
from hooks.snippetkit.transcripts import load_store, store_path
from tests.snippetkit.test_build import build, make_site

F = "```"

PAGE = f"""# Demo

{F}console test="run" session="sh"
$ printf 'id %s\\n' "$(printf abc | sha256sum | cut -c1-64)"
id [0-9a-f]{{64}} (re)
$ echo "one" \\
>   "two"
one two
$ ls /no/such/dir
ls: cannot access * (glob)
[2]
{F}

{F}yaml test="check" session="sh" file="pod.yaml"
apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
    - name: web
      image: nginx:1.27
{F}

{F}pycon test="run" session="py"
>>> 6 * 7
42
{F}

{F}python test="run" session="py"
print("hello from python")
{F}

{F}console test="run" session="cluster" requires="kind kubectl"
$ kubectl apply -f pod.yaml
pod/web created
$ kind get clusters
kind-[a-z]+ (re)
{F}
"""

DIGEST = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"


def cli(*args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner(env=env).invoke(snippets, list(args), catch_exceptions=False)


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    cache = tmp_path / "cache"
    monkeypatch.setenv("CONTROL_LOOP_CACHE_DIR", str(cache))
    monkeypatch.delenv("CI", raising=False)
    return cache


def site_page(root: Path) -> Path:
    return root / "docs" / "index.md"


def blocks_of(root: Path) -> list[BeautifulSoup]:
    doc = BeautifulSoup((root / "site" / "index.html").read_text(), "html.parser")
    return doc.select("div.cl-snippet")


# -- readable patterns -----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("pattern", "shown"),
    [
        ("sha256:[0-9a-f]{64} (re)", "sha256:<64 hex digits>"),
        (
            r"docker\.io/library/app +latest +[0-9a-f]+ +\S+ (re)",
            "docker.io/library/app  latest  <hex digits>  <text>",
        ),
        ("SUM,,[0-9]+,[0-9]+ (re)", "SUM,,<number>,<number>"),
        ("[1-9][0-9]* (re)", "<number>"),
        (
            'on node "dev-(control-plane|worker)", loading... (re)',
            'on node "dev-<control-plane or worker>", loading...',
        ),
        (r"(docker\.io/library/)?registry:3 (re)", "docker.io/library/registry:3"),
        ("web-????? * IPv4 (glob)", "web-<5 characters> … IPv4"),
        ("plain output", "plain output"),
    ],
)
def test_patterns_are_shown_as_readable_output(pattern: str, shown: str) -> None:
    assert readable_line(pattern) == shown


# -- record, then build ----------------------------------------------------------------------
def test_record_writes_a_reviewable_store_and_is_idempotent(
    tmp_path: Path, cache_dir: Path
) -> None:
    page = tmp_path / "post.md"
    page.write_text(PAGE, encoding="utf-8")
    first = cli("--record", str(page))
    assert first.exit_code == 0, first.output
    store = store_path(page)
    assert store.name == "post.transcripts.yaml"
    text = store.read_text()
    # real output, in block scalars a diff can review; the cluster block is not recorded here
    assert f"id {DIGEST}\n" in text
    assert '  - source: |-\n      echo "one" \\\n        "two"\n' in text
    assert "hello from python" in text
    assert "kind get clusters" not in text
    assert str(tmp_path) not in text
    again = cli("--record", str(page))
    assert again.exit_code == 0
    assert "wrote" not in again.output
    assert store.read_text() == text


def test_page_shows_recorded_output_never_patterns(tmp_path: Path, cache_dir: Path) -> None:
    make_site(tmp_path, PAGE)
    assert cli("--record", str(site_page(tmp_path))).exit_code == 0
    proc = build(tmp_path)
    assert proc.returncode == 0, proc.stderr
    page_html = (tmp_path / "site" / "index.html").read_text()
    console, yaml_block, pycon, python, cluster = blocks_of(tmp_path)
    code = console.select_one("code").get_text()
    assert f"id {DIGEST}\n" in code
    assert "ls: cannot access '/no/such/dir': No such file or directory\n[2]\n" in code
    for line in BeautifulSoup(page_html, "html.parser").select("code"):
        for text in line.get_text().splitlines():
            assert not re.search(r" \((re|glob|esc)\)$", text), text
    # copy button: exactly the commands, continuation line included
    assert console["data-copy"] == (
        "printf 'id %s\\n' \"$(printf abc | sha256sum | cut -c1-64)\"\n"
        'echo "one" \\\n  "two"\nls /no/such/dir'
    )
    assert "data-copy" not in str(yaml_block)  # other blocks copy their code, as before
    # file= names the block
    assert yaml_block.select_one(".filename").get_text() == "pod.yaml"
    # python's printed output under its code
    assert python.select_one(".cl-output code").get_text() == "hello from python"
    # badges: link to the About page, say what happened on hover and focus
    badge = console.select_one("a.cl-badge")
    assert badge.get_text() == "tested at build"
    assert badge["href"] == "about/#tested-code"  # index.md: the site root
    assert "Recorded with bash" in badge["title"]  # hover; CSS shows it on focus too
    # the cluster block is validated, its expected output readable
    cbadge = cluster.select_one(".cl-badge")
    assert cbadge.get_text() == "validated · runs on a cluster in CI"
    assert "$ kind get clusters\nkind-…\n" in cluster.select_one("code").get_text()
    assert "kind-[a-z]+" not in cluster.get_text()
    assert pycon.select_one("code").get_text() == ">>> 6 * 7\n42\n"
    assert "skipped" not in " ".join(
        b.get_text() for b in BeautifulSoup(page_html, "html.parser").select(".cl-badge")
    )


def test_round_trip_record_then_build_is_byte_identical(tmp_path: Path, cache_dir: Path) -> None:
    make_site(tmp_path, PAGE)
    assert cli("--record", str(site_page(tmp_path))).exit_code == 0
    assert build(tmp_path).returncode == 0
    first = (tmp_path / "site" / "index.html").read_bytes()
    store = store_path(site_page(tmp_path)).read_bytes()
    assert cli("--record", "--no-cache", str(site_page(tmp_path))).exit_code == 0
    assert store_path(site_page(tmp_path)).read_bytes() == store
    # a cold build (no cache at all) shows the same recording
    os.environ["CONTROL_LOOP_CACHE_DIR"] = str(tmp_path / "other-cache")
    assert build(tmp_path).returncode == 0
    assert (tmp_path / "site" / "index.html").read_bytes() == first


def test_stale_recording_fails_under_ci_with_the_fixing_command(
    tmp_path: Path, cache_dir: Path
) -> None:
    make_site(tmp_path, PAGE)
    assert cli("--record", str(site_page(tmp_path))).exit_code == 0
    md = site_page(tmp_path)
    md.write_text(
        md.read_text()
        .replace('$ echo "one" \\', '$ echo "one" \\\n>   "and" \\')
        .replace("one two\n", "one and two\n")
    )
    local = build(tmp_path)
    assert local.returncode == 0, local.stderr  # locally: a note, and the expected output shown
    assert "without a current recording" in local.stderr
    proc = subprocess.run(
        [
            str(PROJECT_ROOT / ".venv/bin/mkdocs"),
            "build",
            "--strict",
            "-f",
            str(tmp_path / "mkdocs.yml"),
            "-d",
            str(tmp_path / "site2"),
        ],
        capture_output=True,
        text=True,
        env=dict(os.environ, CI="true", CONTROL_LOOP_DIAGRAMS="off", NO_MKDOCS_2_WARNING="1"),
        cwd=tmp_path,
        timeout=300,
    )
    assert proc.returncode == 1
    assert (
        'docs/index.md:3: console block (session "sh") was edited since it was recorded '
        "(or an earlier block of its session was): its recorded transcript is not current "
        "(see CONTRIBUTING.md, Recorded transcripts); run: python -m hooks snippets --record "
        "docs/index.md"
    ) in proc.stderr


def test_hand_edited_recording_is_refused(tmp_path: Path, cache_dir: Path) -> None:
    make_site(tmp_path, PAGE)
    assert cli("--record", str(site_page(tmp_path))).exit_code == 0
    store = store_path(site_page(tmp_path))
    store.write_text(store.read_text().replace(f"id {DIGEST}", "id not-a-digest"))
    proc = build(tmp_path)
    assert proc.returncode == 1
    assert (
        "docs/index.transcripts.yaml:7: the recording of docs/index.md:3 records output of "
        "command 1 that the block's expected output rejects"
    ) in proc.stderr


def test_cluster_block_manifests_are_validated_without_a_cluster(
    tmp_path: Path, cache_dir: Path
) -> None:
    page = tmp_path / "post.md"
    page.write_text(
        f'{F}console test="run" requires="kind kubectl"\n'
        "$ kubectl apply -f - <<EOF\n"
        "> apiVersion: v1\n"
        "> kind: Pod\n"
        "> metadata:\n"
        ">   name: web\n"
        "> spec:\n"
        ">   containerz: []\n"
        "> EOF\n"
        "pod/web created\n"
        f"{F}\n"
    )
    res = cli(str(page))
    assert res.exit_code == 1
    assert (
        'post.md:1: console block (session "default") failed: cannot run here (requires kind '
        "(not on PATH)) and its check failed (2 problems, all listed below)"
    ) in res.output
    # lines of the Markdown file: the heredoc's `containerz:` is line 8
    assert '    line 8: manifest: Pod.spec: unknown field "containerz"' in res.output
    page.write_text(
        page.read_text().replace("containerz: []", "containers: [{name: web, image: nginx:1.27}]")
    )
    ok = cli(str(page))
    assert ok.exit_code == 0, ok.output
    page.write_text(f'{F}console test="run" requires="kind"\n$ if then\n{F}\n')
    bad = cli(str(page))
    assert bad.exit_code == 1 and "syntax error" in bad.output


def test_cluster_recording_taken_in_from_the_e2e_artifact(tmp_path: Path, cache_dir: Path) -> None:
    make_site(tmp_path, PAGE)
    md = site_page(tmp_path)
    assert cli("--record", str(md)).exit_code == 0
    # what the e2e job would upload: the store with the cluster block recorded too
    from hooks.snippetkit.discover import parse_file
    from hooks.snippetkit.transcripts import Recording, Step, content_keys, dump_store

    blocks = parse_file(md).blocks
    keys = content_keys(blocks)
    cluster = blocks[-1]
    session, index, key = keys[cluster.id]
    recs = list(load_store(store_path(md)).recordings.values())
    recs.append(
        Recording(
            session,
            index,
            "console",
            key,
            "kind",
            {"kind": "v0.33.0", "kubernetes": "v1.37.0", "kubectl": "v1.37.0"},
            "2026-11-20",
            (
                Step("kubectl apply -f pod.yaml", "pod/web created"),
                Step("kind get clusters", "kind-kind"),
            ),
        )
    )
    artifact = tmp_path / "e2e-transcripts.zip"
    with zipfile.ZipFile(artifact, "w") as z:
        z.writestr("docs/index.transcripts.yaml", dump_store("index.md", recs))
    taken = cli("--take-in", str(artifact), str(md))
    assert taken.exit_code == 0, taken.output
    assert "took in docs/index.md:" in taken.output or "took in" in taken.output
    assert build(tmp_path).returncode == 0
    cluster_div = blocks_of(tmp_path)[-1]
    badge = cluster_div.select_one(".cl-badge")
    assert badge.get_text() == "ran on kind v0.33 · Kubernetes 1.37 · 2026-11-20"
    assert "kubectl v1.37.0" in badge["title"]
    assert "kind-kind" in cluster_div.select_one("code").get_text()
    # a recording that does not match the post is refused, with the reason
    bad = [
        r
        if r.session != session
        else Recording(
            r.session,
            r.index,
            r.kind,
            r.key,
            r.ran,
            r.toolchain,
            r.date,
            (r.steps[0], Step("kind get clusters", "NOT A CLUSTER")),
        )
        for r in recs
    ]
    with zipfile.ZipFile(artifact, "w") as z:
        z.writestr("docs/index.transcripts.yaml", dump_store("index.md", bad))
    refused = cli("--take-in", str(artifact), str(md))
    assert refused.exit_code == 1
    assert "expected output rejects; not taken" in refused.output


def test_pytest_fails_a_block_whose_recording_is_stale(tmp_path: Path, cache_dir: Path) -> None:
    """`make test` runs docs/ through pytest: a stale recording fails there with the fix."""
    docs = tmp_path / "docs"
    docs.mkdir()
    page = docs / "post.md"
    page.write_text(f'{F}console test="run"\n$ echo hi\nhi\n{F}\n')
    conftest = tmp_path / "conftest.py"
    conftest.write_text(
        "import hooks.snippetkit.pytest_plugin as p\n"
        "from pathlib import Path\n"
        f"p.DOCS = Path({str(docs)!r})\n"
        "pytest_plugins = ['hooks.snippetkit.pytest_plugin']\n"
    )
    env = dict(os.environ, PYTHONPATH=str(PROJECT_ROOT))
    args = [
        sys.executable,
        "-m",
        "pytest",
        "-q",
        "-p",
        "no:cacheprovider",
        "-p",
        "no:xdist",
        str(page),
    ]
    missing = subprocess.run(
        args, capture_output=True, text=True, cwd=tmp_path, env=env, timeout=300
    )
    assert missing.returncode == 1
    assert "has no recording: its recorded transcript is not current" in missing.stdout
    assert cli("--record", str(page)).exit_code == 0
    ok = subprocess.run(args, capture_output=True, text=True, cwd=tmp_path, env=env, timeout=300)
    assert ok.returncode == 0, ok.stdout
    page.write_text(f'{F}console test="run"\n$ echo hi there\nhi there\n{F}\n')
    stale = subprocess.run(args, capture_output=True, text=True, cwd=tmp_path, env=env, timeout=300)
    assert stale.returncode == 1
    assert "was edited since it was recorded" in stale.stdout
    assert "run: python -m hooks snippets --record" in stale.stdout


def test_record_drops_a_stale_recording_it_cannot_replace(tmp_path: Path, cache_dir: Path) -> None:
    """A cluster block edited here: its old recording is dropped, not kept as a stale error."""
    page = tmp_path / "post.md"
    page.write_text(PAGE, encoding="utf-8")
    assert cli("--record", str(page)).exit_code == 0
    from hooks.snippetkit.discover import parse_file
    from hooks.snippetkit.transcripts import Recording, Step, content_keys, dump_store

    blocks = parse_file(page).blocks
    session, index, key = content_keys(blocks)[blocks[-1].id]
    recs = [*load_store(store_path(page)).recordings.values()]
    steps = (
        Step("kubectl apply -f pod.yaml", "pod/web created"),
        Step("kind get clusters", "kind-x"),
    )
    recs.append(Recording(session, index, "console", key, "kind", {}, "2026-11-20", steps))
    store_path(page).write_text(dump_store(page.name, recs))
    page.write_text(PAGE.replace("$ kind get clusters", "$ kind get clusters --quiet"))
    assert cli("--record", str(page)).exit_code == 0
    assert "kind-x" not in store_path(page).read_text()
    assert (session, index) not in load_store(store_path(page)).recordings


def test_a_store_that_is_a_link_is_never_read(tmp_path: Path, cache_dir: Path) -> None:
    """Committed in a pull request like the post: a link must not leak what it names.

    (A link out of docs/ already stops the build in hooks/docstree.py; this one stays inside.)
    """
    make_site(tmp_path, PAGE)
    secret = tmp_path / "docs" / "secret.txt"
    secret.write_text("TOKEN=do-not-print\n")
    store_path(site_page(tmp_path)).symlink_to(secret)
    proc = build(tmp_path)
    assert proc.returncode == 1
    assert (
        "docs/index.transcripts.yaml:1: cannot read the transcript store: it is not a regular "
        "file (a link, FIFO or device is never read)"
    ) in proc.stderr
    assert "do-not-print" not in proc.stderr + proc.stdout
