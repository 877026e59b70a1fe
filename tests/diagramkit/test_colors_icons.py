"""The dark variant's colour rules and the dark-icon detector, on real values and icons."""

from __future__ import annotations

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


def _size(png: bytes) -> tuple[int, int]:
    import io

    from PIL import Image

    return Image.open(io.BytesIO(png)).size


def test_icons_are_resampled_to_twice_their_drawn_box():
    data = (src.icon_library() / "onprem/network/nginx.png").read_bytes()
    assert _size(data) == (256, 256)
    web = icons.for_web(data, 101, 101)  # the box diagrams draws a node's icon in
    assert web.startswith(b"\x89PNG") and _size(web) == (202, 202)
    assert len(web) < 0.8 * len(data)
    assert icons.for_web(data, 101, 101) == web  # deterministic


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


def test_dark_icons_stay_dark_after_optimizing():
    """oxipng often writes palette or grey PNGs: the dark-icon test must still read them."""
    data = (src.icon_library() / "onprem/client/user.png").read_bytes()
    assert icons.is_dark(icons.for_web(data, 101, 101))
    assert not icons.is_dark(
        icons.for_web((src.icon_library() / "k8s/compute/pod.png").read_bytes(), 101, 101)
    )
