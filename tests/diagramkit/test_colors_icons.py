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
