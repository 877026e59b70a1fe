"""``bench_diagrams.first_load``: what a first visit fetches, by the rule in its docstring."""

from __future__ import annotations

import gzip
from pathlib import Path

from benchmarks.bench_diagrams import first_load


def test_a_lazy_frame_is_not_counted_every_image_and_eager_frame_is(tmp_path: Path) -> None:
    assets = {
        "a.css": b"body{color:red}" * 50,
        "d-light.svg": b"<svg>light</svg>" * 50,
        "d-dark.svg": b"<svg>dark</svg>" * 50,
        "eager.svg": b"<svg>eager</svg>" * 50,
        "lazy.svg": b"<svg>lazy</svg>" * 5000,
    }
    for name, data in assets.items():
        (tmp_path / name).write_bytes(data)
    page = tmp_path / "index.html"
    page.write_text(
        '<link rel="stylesheet" href="a.css">'
        '<img src="d-light.svg#only-light" loading="lazy"><img src="d-dark.svg#only-dark">'
        '<iframe class="flame-graph__svg" src="lazy.svg" height="50" title="t" loading="lazy">'
        '</iframe><iframe src="eager.svg" title="e"></iframe>',
        encoding="utf-8",
    )
    raw, _, parts = first_load(tmp_path, page)
    counted = ("a.css", "d-light.svg", "eager.svg")
    assert raw == page.stat().st_size + sum(len(assets[n]) for n in counted)
    gz = {n: len(gzip.compress(assets[n], compresslevel=6, mtime=0)) for n in assets}
    assert parts["images"] == gz["d-light.svg"] + gz["eager.svg"]
    assert parts["css+js"] == gz["a.css"]
