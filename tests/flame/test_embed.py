"""The MkDocs adapter: embed lines become one-line figures; bad embeds are reported at path:line."""

from __future__ import annotations

import re
from pathlib import Path
from types import SimpleNamespace

import lxml.html
import pytest
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files

from hooks.cache import Cache
from hooks.flame import embed
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
    figure = lxml.html.fragment_fromstring(lines[2])
    assert figure.tag == "figure" and figure.get("class") == "flame-graph"
    assert [child.tag for child in figure] == ["link", "p", "div", "iframe", "ul", "figcaption"]
    frame = figure.find("iframe")
    assert frame.get("src") == "../../../assets/flame/kind.svg"
    assert frame.get("title") == "Kind by lines"  # its accessible name
    assert frame.get("loading") == "lazy"  # fetched only as a reader nears it (issue 15)
    # title, controls and legend are the page's HTML (they wrap), not text inside the SVG
    title = figure.find("p").text_content()
    assert title == "kubernetes-sigs/kind: 25,713 lines of code in 369 files"
    search = figure.find("div/input")
    assert search.get("type") == "search"
    assert figure.find("div/label").get("for") == search.get("id") == "flame-kind-3-search"
    assert figure.find("div").get("hidden") is not None  # the SVG's script reveals it
    assert figure.find("div/button").text_content() == "Reset zoom"
    legend = [li.text_content() for li in figure.findall("ul/li")]
    # directories, the 7 largest languages by code lines, then the rest
    assert legend == [
        "directory",
        "Go",
        "Markdown",
        "YAML",
        "Bourne Again Shell",
        "Bourne Shell",
        "CSS",
        "Dockerfile",
        "other",
    ]
    # the site's search indexes the graph's title, not its controls and legend on every graph
    assert figure.find("div").get("data-search-exclude") is not None
    assert figure.find("ul").get("data-search-exclude") is not None
    assert figure.find("link").get("href") == "../../../assets/flame/figure.css"
    assert "<figcaption>kind at fed2688 " in lines[2]
    assert 'href="../../../assets/flame/kind.folded" download' in lines[2]
    assert 'href="../../../assets/data/kind-cloc-by-file.csv" download' in lines[2]
    assert "<script" not in lines[2] and " on" not in lines[2].replace(" one", "")
    css = site.files.get_file_from_path("assets/flame/figure.css")
    assert ".flame-graph__swatch--l0{background:var(--flame-l0)}" in css.content_string
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


def test_legend_swatches_take_the_svg_palette_in_both_schemes() -> None:
    style = (Path(embed.__file__).with_name("flame.css")).read_text(encoding="utf-8")
    light = dict(re.findall(r"--(d\d|l\d|lx):([^;}]+)", style.split("}", 1)[0]))
    dark_block = style.split(":root[data-scheme=dark]{", 1)[1].split("}", 1)[0]
    dark = dict(re.findall(r"--(d\d|l\d|lx):([^;}]+)", dark_block))
    css = embed.page_css()
    rules = dict(re.findall(r"^(\S[^{]*)\{([^}]*)\}$", css, re.M))
    page_light = dict(re.findall(r"--flame-(\w+):([^;]+)", rules[".flame-graph"]))
    page_dark = dict(
        re.findall(r"--flame-(\w+):([^;]+)", rules['[data-md-color-scheme="slate"] .flame-graph'])
    )
    assert page_light == light and page_dark == dark and light != dark
    assert len(light) == 12  # d0-d3, l0-l6, lx
    for name in light:
        assert rules[f".flame-graph__swatch--{name}"] == f"background:var(--flame-{name})"
