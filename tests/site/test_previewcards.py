"""Link-preview cards (hooks/previewcards.py): deterministic PNGs, cached, checked on read."""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from hooks import previewcards
from hooks.cache import Cache
from hooks.previewcards import HEIGHT, WIDTH, CardText, card_bytes, draw_card, is_card

TEXT = CardText(
    title="The operator pattern, from control loop to custom resource",
    description="What a controller does between a watch event and a status write.",
    site_name="Control Loop",
)


def test_card_is_a_deterministic_png_of_the_opengraph_size() -> None:
    first, second = draw_card(TEXT), draw_card(TEXT)
    assert first == second
    assert is_card(first)
    with Image.open(io.BytesIO(first)) as image:
        assert image.size == (WIDTH, HEIGHT)
        assert not image.info  # no timestamps or software tags in the file
    assert draw_card(CardText("Another title", TEXT.description, "Control Loop")) != first


def test_long_title_is_cut_with_an_ellipsis_inside_the_card() -> None:
    image = Image.new("RGB", (10, 10))
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(str(previewcards.TITLE_FONT), 62)
    lines = previewcards._wrap(draw, "word " * 200, font, WIDTH - 160, 4)
    assert len(lines) == 4 and lines[-1].endswith(" …")
    assert all(draw.textlength(line, font=font) <= WIDTH - 160 for line in lines)


def test_escaped_front_matter_is_drawn_as_written() -> None:
    from markupsafe import escape

    assert previewcards._plain(escape("<pre> & <code>")) == "<pre> & <code>"
    assert previewcards._plain("a & b") == "a & b"


def test_warm_card_comes_from_the_cache_and_a_forged_entry_is_redrawn(tmp_path: Path) -> None:
    store = Cache("cards", tmp_path, enabled=True, validate=is_card)
    drawn = card_bytes(TEXT, store)
    # a warm read does not draw: Pillow's drawing is not even called
    real = previewcards.draw_card
    previewcards.draw_card = lambda text: (_ for _ in ()).throw(AssertionError("drew again"))
    try:
        assert card_bytes(TEXT, store) == drawn
    finally:
        previewcards.draw_card = real
    # an entry that is not a card of the right size is dropped and the card drawn again
    (entry,) = [p for p in (tmp_path / "cards").rglob("*") if p.is_file()]
    store.put(entry.name, b"<svg onload=alert(1)>")
    assert card_bytes(TEXT, store) == drawn
    assert not is_card(b"\x89PNG\r\n\x1a\n" + b"\0" * 30)


def test_missing_fonts_name_the_package_to_install(monkeypatch, tmp_path: Path) -> None:
    import pytest

    from hooks.errors import ToolMissingError

    monkeypatch.setattr(previewcards, "TITLE_FONT", tmp_path / "DejaVuSans-Bold.ttf")
    previewcards._font_digest.cache_clear()
    try:
        with pytest.raises(ToolMissingError, match="apt-get install fonts-dejavu-core"):
            card_bytes(TEXT, Cache("cards", tmp_path, enabled=True, validate=is_card))
    finally:
        previewcards._font_digest.cache_clear()
