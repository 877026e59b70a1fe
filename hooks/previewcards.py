"""Link-preview cards: one PNG per post, drawn at build from its title and description.

A link pasted into a chat or a social site shows ``og:image``. Material's social plugin draws
such cards but downloads its fonts at build time (and fails offline); here Pillow draws them
with the system's DejaVu fonts (Debian's ``fonts-dejavu-core``, also on GitHub's Ubuntu
runners): no network at build.

Deterministic: a fixed canvas, fixed fonts and a PNG written without metadata give the same
bytes for the same title, description and toolchain. The cache key holds the texts, the font
files' bytes, Pillow's version and ``LAYOUT``, so a warm build reads cards back (through
``hooks/cache.py``, checked as a PNG on read) and does not even import Pillow.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from functools import cache
from importlib.metadata import version
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from hooks.cache import Cache, digest, file_stamp
from hooks.errors import ToolMissingError

#: Card size recommended by the OpenGraph consumers (1.91:1).
WIDTH, HEIGHT = 1200, 630
#: Bump when the drawing changes (part of the cache key).
LAYOUT = "card-v1"
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
TITLE_FONT = FONT_DIR / "DejaVuSans-Bold.ttf"
TEXT_FONT = FONT_DIR / "DejaVuSans.ttf"
#: Where the cards are published (one per post, named after the post's source file).
CARD_DIR = "assets/cards"
INDIGO = (48, 63, 159)  # Material's indigo 700: white text on it is 8.6:1
WHITE = (255, 255, 255)
PALE = (218, 223, 250)
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
MAX_CARD_BYTES = 1 << 20


@dataclass(frozen=True)
class CardText:
    """What a card says (plain text; front matter may arrive escaped as ``Markup``)."""

    title: str
    description: str
    site_name: str


def _plain(value: Any) -> str:
    text = str(value or "")
    return html.unescape(text) if hasattr(value, "__html__") else text


@cache
def _font_digest() -> str:
    missing = [p for p in (TITLE_FONT, TEXT_FONT) if not p.is_file()]
    if missing:
        raise ToolMissingError(
            f"link-preview cards need the DejaVu fonts ({', '.join(map(str, missing))} missing); "
            "install them: sudo apt-get install fonts-dejavu-core"
        )
    # the fonts' paths, sizes and modification times: an upgraded font package changes them,
    # and a warm build reads no megabyte of font to learn that nothing changed
    return digest(*(file_stamp(p.resolve()) for p in (TITLE_FONT, TEXT_FONT)))


def _wrap(draw: Any, text: str, font: Any, width: int, max_lines: int) -> list[str]:
    """Greedy word wrap to ``width`` pixels; an overflowing last line ends in an ellipsis."""
    lines: list[str] = []
    words = text.split()
    while words and len(lines) < max_lines:
        line = words.pop(0)
        while words and draw.textlength(f"{line} {words[0]}", font=font) <= width:
            line = f"{line} {words.pop(0)}"
        lines.append(line)
    if words and lines:
        last = lines[-1]
        while last and draw.textlength(last + " …", font=font) > width:
            last = last.rsplit(" ", 1)[0] if " " in last else last[:-1]
        lines[-1] = last + " …"
    return lines


def draw_card(text: CardText) -> bytes:
    """The card as PNG bytes (Pillow imported here only: warm builds never need it)."""
    import io

    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("RGB", (WIDTH, HEIGHT), INDIGO)
    draw = ImageDraw.Draw(image)
    margin = 80
    site = ImageFont.truetype(str(TITLE_FONT), 34)
    title_font = ImageFont.truetype(str(TITLE_FONT), 62)
    body_font = ImageFont.truetype(str(TEXT_FONT), 32)
    draw.text((margin, 70), text.site_name, font=site, fill=PALE)
    y = 150
    for line in _wrap(draw, text.title, title_font, WIDTH - 2 * margin, 4):
        draw.text((margin, y), line, font=title_font, fill=WHITE)
        y += 78
    y += 24
    for line in _wrap(draw, text.description, body_font, WIDTH - 2 * margin, 3):
        if y > HEIGHT - 70:
            break
        draw.text((margin, y), line, font=body_font, fill=PALE)
        y += 44
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=False, compress_level=9)
    return out.getvalue()


def is_card(payload: bytes) -> bool:
    """What a cache entry must be to be published: a PNG of the card's size, not too large."""
    return (
        payload.startswith(PNG_MAGIC)
        and len(payload) <= MAX_CARD_BYTES
        and payload[16:24] == WIDTH.to_bytes(4, "big") + HEIGHT.to_bytes(4, "big")
    )


@cache
def _pillow_version() -> str:
    """Once per process: ``importlib.metadata`` reads Pillow's metadata from disk on every call
    (a tenth of a second for 100 posts when asked per card)."""
    return version("pillow")


def _drawing_tools() -> str:
    """What a card's pixels depend on besides its text: the layout, Pillow and the fonts."""
    return digest(LAYOUT, _pillow_version(), _font_digest())


def card_bytes(text: CardText, store: Cache) -> bytes:
    """The card for ``text``: from the cache, or drawn and cached."""
    key = digest(_drawing_tools(), text.title, text.description, text.site_name)
    cached = store.get(key)
    if cached is not None:
        return cached
    payload = draw_card(text)
    store.put(key, payload)
    return payload


def card_path(src_uri: str) -> str:
    """``blog/posts/2026-10-05-x.md`` -> ``assets/cards/2026-10-05-x.png``."""
    return f"{CARD_DIR}/{Path(src_uri).stem}.png"


@dataclass
class PreviewCards:
    """One build's cards: drawn (or read back) in ``on_files``, named in each post's head."""

    store: Cache = field(
        default_factory=lambda: Cache("cards", validate=is_card, max_bytes=MAX_CARD_BYTES)
    )
    paths: dict[str, str] = field(default_factory=dict)  # post src_uri -> card path

    def add_files(
        self, files: Files, config: MkDocsConfig, front_matter: dict[str, dict[str, Any]]
    ) -> Files:
        self.paths = {}
        for src_uri, data in sorted(front_matter.items()):
            text = CardText(
                title=_plain(data.get("title")),
                description=_plain(data.get("description")),
                site_name=config.site_name,
            )
            path = card_path(src_uri)
            existing = files.get_file_from_path(path)
            if existing is not None:
                files.remove(existing)
            files.append(File.generated(config, path, content=card_bytes(text, self.store)))
            self.paths[src_uri] = path
        return files

    def image_url(self, page: Page, config: MkDocsConfig) -> str | None:
        """The absolute URL of the page's card (OpenGraph wants absolute), if it has one."""
        path = self.paths.get(page.file.src_uri)
        if path is None:
            return None
        return urljoin(config.site_url or "/", path)
