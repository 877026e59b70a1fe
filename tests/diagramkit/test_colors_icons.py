"""The dark variant's colour rules and the dark-icon detector, on real values and icons."""

from __future__ import annotations

from pathlib import Path

import pytest

from hooks.diagramkit import colors, icons
from hooks.diagramkit import sources as src


def _luma(value: str) -> float:
    r, g, b = colors.parse(value)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


@pytest.mark.parametrize("value", ["#2d3436", "#7b8894", "black", "firebrick", "#333"])
def test_ink_becomes_light_enough_for_slate(value):
    assert _luma(colors.ink(value)) > 0.5


@pytest.mark.parametrize("value", ["#e5f5fd", "#ebf3e7", "#ece8f6", "#fdf7e3", "white"])
def test_paper_becomes_dark_enough_for_light_text(value):
    assert _luma(colors.paper(value)) < 0.3


def test_hue_is_kept():
    r, g, b = colors.parse(colors.ink("firebrick"))
    assert r > g and r > b  # still red


@pytest.mark.parametrize("value", ["none", "transparent", "url(#grad)", "currentColor"])
def test_non_colours_are_left_alone(value):
    assert colors.ink(value) == value and colors.paper(value) == value


def test_already_fine_colours_are_left_alone():
    assert colors.ink("white") == "#ffffff"
    assert colors.paper("#1e2129") == "#1e2129"


@pytest.mark.parametrize(
    ("icon", "dark"),
    [
        ("onprem/client/user.png", True),
        ("onprem/network/internet.png", True),
        ("k8s/compute/pod.png", False),
        ("aws/compute/ec2.png", False),
        ("onprem/network/nginx.png", False),
    ],
)
def test_dark_icons_are_recognised(icon, dark):
    data = (src.icon_library() / icon).read_bytes()
    assert icons.is_dark(data) is dark


def test_non_png_is_never_called_dark():
    assert icons.is_dark(b"\xff\xd8\xff\xe0 a jpeg") is False
    assert icons.is_dark(b"<svg/>") is False


def _image(data: bytes):
    import io

    from PIL import Image

    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def _size(data: bytes) -> tuple[int, int]:
    return _image(data).size


def test_icons_are_resampled_to_twice_the_box_they_are_shown_in():
    data = (src.icon_library() / "k8s/compute/pod.png").read_bytes()
    assert _size(data) == (256, 256)
    web = icons.for_web(data, 40, 40)  # shown 40 CSS px wide: 80 image pixels
    assert _size(web) == (80, 80)
    assert len(web) < 0.4 * len(data)
    assert icons.for_web(data, 40, 40) == web  # deterministic


def test_the_smaller_of_png_and_lossless_webp_is_kept_and_no_pixel_changes():
    from PIL import Image

    data = (src.icon_library() / "k8s/controlplane/api.png").read_bytes()
    web = icons.for_web(data, 32, 32)
    assert web[:4] == b"RIFF" and web[8:12] == b"WEBP"  # WebP wins on these icons
    assert icons.mime(web, Path("api.png")) == "image/webp"
    resized = _image(data).convert("RGBA").resize((64, 64), Image.Resampling.LANCZOS)
    decoded = _image(web).convert("RGBA")
    # lossless: every visible pixel as resampled (fully transparent ones may change colour)
    want, got = resized.tobytes(), decoded.tobytes()
    for i in range(0, len(want), 4):
        assert want[i : i + 4] == got[i : i + 4] or want[i + 3] == got[i + 3] == 0, i
    png = icons._png(resized)
    assert png.startswith(b"\x89PNG") and len(web) < len(png)


@pytest.mark.parametrize("icon", ["k8s/compute/pod.png", "aws/compute/ec2.png"])
def test_an_icon_is_never_embedded_larger_than_its_source(icon):
    """Lanczos adds shades a flat icon did not have: then the optimized source is smaller."""
    data = (src.icon_library() / icon).read_bytes()
    web = icons.for_web(data, 101, 101)
    assert len(web) < len(data)  # oxipng alone still saves
    assert _size(web) in {(202, 202), _size(data)}


def test_icons_are_never_enlarged_and_other_formats_pass_through():
    data = (src.icon_library() / "k8s/compute/pod.png").read_bytes()
    assert _size(icons.for_web(data, 400, 400)) == (256, 256)
    assert len(icons.for_web(data, 400, 400)) <= len(data)
    assert icons.for_web(b"\xff\xd8\xff\xe0 a jpeg", 10, 10) == b"\xff\xd8\xff\xe0 a jpeg"


def test_webp_is_recognised_by_its_riff_header_only():
    assert icons.mime(b"RIFF\x10\0\0\0WEBPVP8L", Path("x.webp")) == "image/webp"
    with pytest.raises(icons.UnsupportedImage):
        icons.mime(b"RIFF\x10\0\0\0WAVEfmt ", Path("x.webp"))  # a RIFF, not a WebP


def test_dark_icons_stay_dark_after_optimizing():
    """oxipng often writes palette or grey PNGs: the dark-icon test must still read them."""
    data = (src.icon_library() / "onprem/client/user.png").read_bytes()
    assert icons.is_dark(icons.for_web(data, 101, 101))
    assert not icons.is_dark(
        icons.for_web((src.icon_library() / "k8s/compute/pod.png").read_bytes(), 101, 101)
    )
