"""Click-to-zoom for diagrams: GLightbox's script and styles, loaded once per site.

The mkdocs-glightbox plugin re-parses the whole HTML of every page twice (to wrap images and to
inject its tags), about half of what this site's build costs over a stock Material blog. Our
diagram embeds already emit their lightbox links (``hooks/diagramkit/embed.py``), so the site
only needs GLightbox itself: the plugin's package still supplies the library files, added to the
build as generated files and loaded through ``extra_css``/``extra_javascript`` in mkdocs.yml;
``docs/assets/zoom.js`` starts it on every page, instant navigation included.
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files

#: Where the library lands in the site (referenced from mkdocs.yml).
ASSETS = {
    "assets/glightbox/glightbox.min.js": "glightbox.min.js",
    "assets/glightbox/glightbox.min.css": "glightbox.min.css",
}


def library_dir() -> Path:
    import mkdocs_glightbox

    return Path(mkdocs_glightbox.__file__).parent / "glightbox"


def add_files(files: Files, config: MkDocsConfig) -> Files:
    source = library_dir()
    for uri, name in ASSETS.items():
        if files.get_file_from_path(uri) is None:
            files.append(File.generated(config, uri, abs_src_path=str(source / name)))
    return files
