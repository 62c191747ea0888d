"""How the fonts in ``exports/fonts/`` were made (a maintainer's tool; the app never runs it).

The PDF needs glyphs for whatever a patient writes in a note. DejaVu Sans
(Latin, Greek, Cyrillic, Armenian, Georgian, Hebrew, Arabic, many symbols) is
shipped whole. CJK comes from subsets, to keep the package small:

- ``CJKFallback.ttf``: Droid Sans Fallback (Apache-2.0) cut to kana, CJK
  punctuation, full-width forms and the common ideographs (GB 2312 level 1 and
  JIS X 0208 level 1);
- ``HangulFallback.ttf``: Nanum Gothic (OFL-1.1) cut to the 2,350 Hangul
  syllables of KS X 1001 and the Hangul jamo, renamed as the OFL asks of a
  modified version (the name "Nanum" is reserved).

Run with Debian's ``fonts-dejavu-core``, ``fonts-droid-fallback`` and
``fonts-nanum`` installed::

    python -m aftercare_app.exports.font_subsets
"""

from __future__ import annotations

import contextlib
import shutil
from collections.abc import Iterable
from pathlib import Path

FONTS = Path(__file__).resolve().parent / "fonts"
DEBIAN = Path("/usr/share/fonts/truetype")


def _decoded(codec: str, rows: Iterable[int]) -> set[str]:
    chars: set[str] = set()
    for high in rows:
        for low in range(0xA1, 0xFF):
            with contextlib.suppress(UnicodeDecodeError):
                chars.update(bytes([high, low]).decode(codec))
    return chars


def cjk_characters() -> set[str]:
    chars = _decoded("gb2312", range(0xA1, 0xD8)) | _decoded("euc_jp", range(0xA1, 0xD0))
    chars |= {chr(c) for c in range(0x3000, 0x3100)} | {chr(c) for c in range(0xFF00, 0xFFF0)}
    return {c for c in chars if ord(c) >= 0x2E80}


def hangul_characters() -> set[str]:
    chars = _decoded("euc_kr", range(0xB0, 0xC9)) | {chr(c) for c in range(0x3131, 0x318F)}
    return {c for c in chars if ord(c) >= 0x1100}


def subset(source: Path, target: Path, chars: set[str], family: str | None = None) -> None:
    from fontTools import subset as ft_subset
    from fontTools.ttLib import TTFont

    font = TTFont(source)
    cmap = font.getBestCmap()
    options = ft_subset.Options()
    options.layout_features = []
    options.hinting = False
    options.notdef_outline = True
    options.name_IDs = ["*"]
    subsetter = ft_subset.Subsetter(options)
    subsetter.populate(unicodes=[ord(c) for c in chars if ord(c) in cmap])
    subsetter.subset(font)
    if family:
        for record in font["name"].names:
            if record.nameID in (1, 4, 16, 21):
                record.string = family
            elif record.nameID == 6:
                record.string = family.replace(" ", "")
            elif record.nameID == 3:
                record.string = f"{family} subset"
    font.save(target)


def main() -> None:
    FONTS.mkdir(exist_ok=True)
    for name in ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"):
        shutil.copyfile(DEBIAN / "dejavu" / name, FONTS / name)
    subset(DEBIAN / "droid" / "DroidSansFallbackFull.ttf", FONTS / "CJKFallback.ttf", cjk_characters())
    subset(DEBIAN / "nanum" / "NanumGothic.ttf", FONTS / "HangulFallback.ttf", hangul_characters(), "Aftercare Hangul")


if __name__ == "__main__":
    main()
