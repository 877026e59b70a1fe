"""Icon files -> what the SVG embeds: the bytes, MIME type, a readable id, whether it is dark.

* **Bytes.** ``diagrams`` ships its icons at 256 px, and they were about 93% of a diagram's
  bytes. ``for_web`` resamples a PNG to ``DENSITY`` image pixels per CSS px of the box it is
  shown in (the caller passes that box in CSS px: the drawn size times the diagram's scale in
  the post column; sharp on 2x screens, never enlarged; Pillow's Lanczos filter), then encodes
  it losslessly twice, as a PNG recompressed by oxipng and as lossless WebP (libwebp through
  Pillow), and keeps the smallest of those and the source. Lossless means every visible pixel
  is kept; WebP may change the colour of fully transparent pixels, which nothing shows.
  Deterministic: same bytes in, same bytes out (the versions are in the cache key).
* **Dark icons.** Many ``diagrams`` icons are black line art (``onprem.client.User``,
  ``onprem.network.Internet``) that disappears on Material's dark background. The dark variant
  inverts exactly those (lightness flipped, hue kept), so ``is_dark`` measures which share of
  an icon's visible pixels is dark.
"""

from __future__ import annotations

import importlib.metadata
import io
import math
from pathlib import Path

_PNG = b"\x89PNG\r\n\x1a\n"
_MIME = (
    (_PNG, "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF8", "image/gif"),
)


def _is_webp(data: bytes) -> bool:
    """A RIFF container whose form type is WEBP (``RIFF<size>WEBP``)."""
    return len(data) >= 12 and data[:4] == b"RIFF" and data[8:12] == b"WEBP"


#: Luma (0..1) under which a pixel is lost on slate (background luma is about 0.13).
DARK_LUMA = 0.3
#: An icon is "dark" when at least this share of its visible pixels is dark.
DARK_SHARE = 0.6
#: Image pixels per CSS px of the box an icon is shown in: twice, sharp on 2x screens.
DENSITY = 2.0
#: oxipng effort: level 2 finds nearly all of level 6's savings on icons, in a tenth of the time.
OXIPNG_LEVEL = 2
#: libwebp effort (0-6): 4 is within 1.5% of 6's bytes on the site's icons, in a twentieth of
#: the time (6 took seconds per icon, on every cold render).
WEBP_METHOD = 4


def toolchain() -> str:
    """Versions that shape the embedded icon bytes (part of the diagrams' cache key).

    Read from package metadata, so a warm build never imports Pillow: a Pillow wheel bundles
    its libwebp (the file name carries version and build hash); a Pillow built against the
    system's libwebp is asked directly.
    """
    pillow = importlib.metadata.version("pillow")
    webp = sorted(
        str(f).rsplit("/", 1)[-1]
        for f in importlib.metadata.files("pillow") or []
        if str(f).startswith("pillow.libs/libwebp")
    )
    if not webp:
        from PIL import features

        webp = [f"libwebp {features.version('webp')}"]
    return "pillow {} pyoxipng {} {}".format(
        pillow, importlib.metadata.version("pyoxipng"), " ".join(webp)
    )


def _optimized(png: bytes) -> bytes:
    import oxipng

    try:
        return oxipng.optimize_from_memory(png, level=OXIPNG_LEVEL, strip=oxipng.StripChunks.safe())
    except oxipng.PngError:
        return png  # a PNG oxipng cannot read stays as it is (the browser decides)


def _webp(image: object) -> bytes:
    """Lossless WebP (same pixels in, same bytes out) at ``WEBP_METHOD`` effort."""
    buffer = io.BytesIO()
    image.save(  # type: ignore[attr-defined]
        buffer, "WEBP", lossless=True, quality=100, method=WEBP_METHOD
    )
    return buffer.getvalue()


def _png(image: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "PNG")  # type: ignore[attr-defined]
    return _optimized(buffer.getvalue())


def for_web(data: bytes, width_px: float, height_px: float) -> bytes:
    """The bytes to embed for an icon shown in a ``width_px`` x ``height_px`` box (CSS px).

    PNG or lossless WebP, whichever is smaller. Non-PNG data is returned as it is. The result is
    never larger than ``data`` and never has more pixels.
    """
    if not data.startswith(_PNG):
        return data
    from PIL import Image

    try:
        image = Image.open(io.BytesIO(data))
        image.load()
    except (OSError, ValueError, Image.DecompressionBombError):
        return data
    scale = min(
        DENSITY * width_px / image.width if width_px > 0 else 1.0,
        DENSITY * height_px / image.height if height_px > 0 else 1.0,
    )
    alpha = image.mode in {"RGBA", "LA", "PA"} or "transparency" in image.info
    candidates = [data, _optimized(data)]
    if scale < 1.0:
        size = (max(1, math.ceil(image.width * scale)), max(1, math.ceil(image.height * scale)))
        image = image.convert("RGBA" if alpha else "RGB").resize(size, Image.Resampling.LANCZOS)
        candidates.append(_png(image))
    elif image.mode not in {"RGB", "RGBA"}:
        image = image.convert("RGBA" if alpha else "RGB")  # libwebp encodes true colour only
    candidates.append(_webp(image))
    return min(candidates, key=len)  # the first of equals: stable


class UnsupportedImage(Exception):
    """Not an image format an SVG <image> can show."""


def mime(data: bytes, path: Path) -> str:
    for magic, kind in _MIME:
        if data.startswith(magic):
            return kind
    if _is_webp(data):
        return "image/webp"
    if path.suffix.lower() == ".svg" or b"<svg" in data[:1024]:
        return "image/svg+xml"
    raise UnsupportedImage(f"icon {path.name} is not a PNG, JPEG, GIF, WebP or SVG file")


def name(path: Path) -> str:
    """``.../resources/k8s/compute/pod.png`` -> ``k8s-compute-pod``; other icons by file stem."""
    parts = path.with_suffix("").parts
    if "resources" in parts:
        return "-".join(parts[len(parts) - parts[::-1].index("resources") :])
    return path.stem


def is_dark(data: bytes) -> bool:
    """True when most visible pixels of a PNG or WebP icon would be lost on a dark background.

    Decoded with Pillow, so every PNG layout counts (grey, palette, 16-bit, as oxipng writes).
    """
    if not (data.startswith(_PNG) or _is_webp(data)):
        return False
    from PIL import Image

    try:
        image = Image.open(io.BytesIO(data)).convert("RGBA")
    except (OSError, ValueError, Image.DecompressionBombError):
        return False
    visible = dark = 0
    raw = image.resize((64, 64), Image.Resampling.NEAREST).tobytes()
    for i in range(0, len(raw), 4):
        r, g, b, alpha = raw[i : i + 4]
        if alpha >= 128:
            visible += 1
            dark += 0.2126 * r + 0.7152 * g + 0.0722 * b < DARK_LUMA * 255
    return visible > 0 and dark / visible >= DARK_SHARE
