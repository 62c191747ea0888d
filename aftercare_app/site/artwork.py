"""The app's icon: a drop of serum over a calendar tick, on a soft teal tile.

The same geometry is written as ``assets/icon.svg`` (the editable source) and drawn with Pillow into the PNGs the
web manifest lists (regular and maskable, 192 and 512 px, plus the Apple touch icon and the favicon). Run
``python -m aftercare_app.site.artwork`` after changing the drawing; the PNGs are committed so a build needs no
image library.
"""

from __future__ import annotations

import sys
from pathlib import Path

THEME_COLOR = "#0F766E"
BACKGROUND_COLOR = "#F0FDFA"
_TILE = (15, 118, 110)
_TILE_LIGHT = (45, 160, 150)
_DROP = (255, 255, 255)
_TICK = (15, 118, 110)

# Geometry on a 100 x 100 canvas (as in SVG). The maskable variant keeps the motif within the central 80% "safe zone".

SVG = f"""<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100" width="512" height="512">
  <rect width="100" height="100" rx="22" fill="{THEME_COLOR}"/>
  <circle cx="78" cy="22" r="9" fill="rgb{_TILE_LIGHT}"/>
  <path d="M50 14 C58 27 72 40 72 58 A22 22 0 0 1 28 58 C28 40 42 27 50 14 Z" fill="#FFFFFF"/>
  <path d="M39 58 L47 66 L62 49" fill="none" stroke="{THEME_COLOR}" stroke-width="6"
        stroke-linecap="round" stroke-linejoin="round"/>
</svg>
"""


def draw(size: int, *, maskable: bool = False):  # -> PIL.Image.Image
    """Draw the icon at ``size`` pixels; maskable icons fill the square and shrink the motif into the safe zone."""
    from PIL import Image, ImageDraw

    scale_up = 4  # draw large, then downsample: cheap anti-aliasing
    canvas = size * scale_up
    image = Image.new("RGBA", (canvas, canvas), (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)
    unit = canvas / 100
    if maskable:
        pen.rectangle((0, 0, canvas, canvas), fill=_TILE)
        motif_scale, offset = 0.72, 14.0
    else:
        pen.rounded_rectangle((0, 0, canvas - 1, canvas - 1), radius=22 * unit, fill=_TILE)
        motif_scale, offset = 1.0, 0.0

    def at(x: float, y: float) -> tuple[float, float]:
        return ((offset + x * motif_scale) * unit, (offset + y * motif_scale) * unit)

    def radius(r: float) -> float:
        return r * motif_scale * unit

    cx, cy = at(78, 22)
    pen.ellipse((cx - radius(9), cy - radius(9), cx + radius(9), cy + radius(9)), fill=_TILE_LIGHT)
    # The drop: a round bottom (circle) joined to a pointed top (polygon).
    bx, by = at(50, 58)
    pen.ellipse((bx - radius(22), by - radius(22), bx + radius(22), by + radius(22)), fill=_DROP)
    pen.polygon([at(50, 14), at(69.05, 47), at(50, 58), at(30.95, 47)], fill=_DROP)  # tangent to the circle
    width = max(1, round(radius(6)))
    tick = [at(39, 58), at(47, 66), at(62, 49)]
    pen.line(tick, fill=_TICK, width=width, joint="curve")
    for x, y in (tick[0], tick[-1]):
        pen.ellipse((x - width / 2, y - width / 2, x + width / 2, y + width / 2), fill=_TICK)
    return image.resize((size, size), Image.Resampling.LANCZOS)


# File name -> (size, maskable). The manifest and index.html refer to these names.
ICON_FILES: dict[str, tuple[int, bool]] = {
    "icon-192.png": (192, False),
    "icon-512.png": (512, False),
    "icon-maskable-192.png": (192, True),
    "icon-maskable-512.png": (512, True),
    "apple-touch-icon.png": (180, True),
    "favicon.png": (32, False),
}


def write_assets(assets_dir: Path) -> list[Path]:
    """Write ``icon.svg`` and every PNG of :data:`ICON_FILES` under ``assets_dir``; return the paths written."""
    icons = assets_dir / "icons"
    icons.mkdir(parents=True, exist_ok=True)
    written = [assets_dir / "icon.svg"]
    written[0].write_text(SVG, encoding="utf-8")
    for name, (size, maskable) in ICON_FILES.items():
        path = icons / name
        draw(size, maskable=maskable).save(path, optimize=True)
        written.append(path)
    return written


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[2] / "assets"
    for path in write_assets(target):
        print(path)
