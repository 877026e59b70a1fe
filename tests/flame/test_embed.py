"""The MkDocs adapter: embed lines become one-line figures; bad embeds are reported at path:line."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files

from hooks.cache import Cache
from hooks.flame.embed import FlamePages
from hooks.reporting import BuildReport

DATA = Path(__file__).resolve().parents[2] / "docs" / "assets" / "data"


@pytest.fixture
def site(tmp_path: Path) -> SimpleNamespace:
    docs = tmp_path / "docs"
    (docs / "blog" / "posts").mkdir(parents=True)
    (docs / "assets" / "data").mkdir(parents=True)
    (docs / "assets" / "data" / "kind-cloc-by-file.csv").write_bytes(
        (DATA / "kind-cloc-by-file.csv").read_bytes()
    )
    config = MkDocsConfig()
    config.load_dict({"site_name": "t", "docs_dir": str(docs), "site_dir": str(tmp_path / "site")})
    errors, _warnings = config.validate()
    assert not errors
    config.plugins._current_plugin = None  # what MkDocs sets while an event runs
    files = Files(
        [
            File(uri, str(docs), str(tmp_path / "site"), True)
            for uri in ("blog/posts/p.md", "assets/data/kind-cloc-by-file.csv")
        ]
    )
    return SimpleNamespace(docs=docs, config=config, files=files)


def render(site: SimpleNamespace, cache: Cache, markdown: str, front_matter: str = "") -> tuple:
    path = site.docs / "blog" / "posts" / "p.md"
    path.write_text(front_matter + markdown, encoding="utf-8")
    page = SimpleNamespace(file=site.files.get_file_from_path("blog/posts/p.md"))
    report = BuildReport()
    out = FlamePages(report, cache).page_markdown(markdown, page, site.config, site.files)
    return out, [str(e) for e in report.errors]


def test_embed_becomes_one_line_figure_with_generated_files(
    site: SimpleNamespace, cache: Cache
) -> None:
    md = 'Intro.\n\n![Kind by lines](flame:kind "kind at fed2688")\n\nAfter.\n'
    out, errors = render(site, cache, md)
    assert errors == []
    lines = out.split("\n")
    assert len(lines) == len(md.split("\n"))
    figure = lines[2]
    assert figure.startswith('<figure class="flame-graph"><object class="flame-graph__svg" ')
    assert 'type="image/svg+xml" data="../../../assets/flame/kind.svg"' in figure
    assert 'aria-label="Kind by lines"' in figure
    assert "<figcaption>kind at fed2688 " in figure
    assert 'href="../../../assets/flame/kind.folded" download' in figure
    assert 'href="../../../assets/data/kind-cloc-by-file.csv" download' in figure
    svg = site.files.get_file_from_path("assets/flame/kind.svg")
    folded = site.files.get_file_from_path("assets/flame/kind.folded")
    assert svg is not None and svg.generated_by is not None
    assert "kubernetes-sigs/kind: 25,713 lines of code in 369 files" in svg.content_string
    assert folded.content_string.startswith(".github;ISSUE_TEMPLATE;bug-report.md 15\n")
    assert not (site.docs / "assets" / "flame").exists()  # nothing written into docs/


@pytest.mark.parametrize(
    ("line", "message"),
    [
        (
            "![Graph](flame:linux)",
            "unknown flame graph 'linux'; use one of: client-go, kind, kubernetes-staging, self",
        ),
        (
            '![](flame:kind "caption")',
            "flame graph 'kind' has no alt text; describe what it shows, e.g. "
            '![What the graph shows](flame:kind "Optional caption")',
        ),
        (
            "See ![Graph](flame:kind) here.",
            "a flame graph must stand alone on its line; write it as "
            '![What the graph shows](flame:kind "Optional caption") on a line of its own',
        ),
    ],
    ids=["unknown-name", "missing-alt", "not-alone"],
)
def test_bad_embeds_are_reported_at_the_source_line(
    site: SimpleNamespace, cache: Cache, line: str, message: str
) -> None:
    front = "---\ntitle: T\n---\n"
    out, errors = render(site, cache, f"Intro.\n{line}\n", front)
    post = (site.docs / "blog" / "posts" / "p.md").as_posix()
    # line 5: 3 front-matter lines + line 2 of the Markdown
    assert errors == [f"{post}:5: {message}"]
    placeholder = out.split("\n")[1]
    assert placeholder.startswith('<div class="admonition failure flame-graph-error">')
    assert len(out.split("\n")) == 3


def test_code_blocks_and_inline_code_are_left_alone(site: SimpleNamespace, cache: Cache) -> None:
    md = (
        "Write `![Alt](flame:nope)` on its own line:\n\n"
        "```markdown\n![Alt](flame:nope)\n```\n\n"
        "~~~~\n```\n![](flame:kind)\n```\n~~~~\n"
    )
    out, errors = render(site, cache, md)
    assert errors == []
    assert out == md


def test_a_warm_render_parses_nothing(
    site: SimpleNamespace, cache: Cache, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 17: a warm build reads the table's bytes and the cached picture, nothing more."""
    from hooks.flame import count, sources

    first = sources.render_source("kind", cache)

    def no_parse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the table was parsed although it did not change")

    monkeypatch.setattr(count, "parse_cloc_csv", no_parse)
    monkeypatch.setattr(sources, "parse_cloc_csv", no_parse, raising=False)
    monkeypatch.setattr(sources, "render_records", no_parse)
    assert sources.render_source("kind", cache) == first
