"""Precompressed siblings of the site's files (``.gz`` always, ``.br`` when brotli is installed), as a static host
serves them to browsers that accept them."""

from __future__ import annotations

import gzip
import os
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

__all__ = ["precompress"]

_COMPRESSIBLE = {".js", ".mjs", ".wasm", ".json", ".html", ".css", ".webmanifest", ".otf", ".ttf", ".frag", ".bin", ".zip",
                 ".svg", ".txt", ""}

def _compress(job: tuple[str, int]) -> tuple[str, int, int]:
    path_name, brotli_quality = job
    path = Path(path_name)
    data = path.read_bytes()
    gz = gzip.compress(data, compresslevel=9, mtime=0)
    try:
        import brotli
    except ImportError:  # brotli is optional: gzip alone is what every host and browser speaks
        br = None
    else:
        br = brotli.compress(data, quality=brotli_quality, lgwin=24)
    written_gz = written_br = len(data)
    if len(gz) < 0.9 * len(data):
        Path(path_name + ".gz").write_bytes(gz)
        written_gz = len(gz)
    if br is not None and len(br) < 0.9 * len(data):
        Path(path_name + ".br").write_bytes(br)
        written_br = len(br)
    return path_name, written_gz, written_br

def precompress(out: Path, files: Sequence[str], brotli_quality: int) -> dict[str, tuple[int, int]]:
    jobs = [(str(out / f), brotli_quality) for f in files if Path(f).suffix in _COMPRESSIBLE
            or f.endswith("NOTICES")]
    sizes = {f: ((out / f).stat().st_size,) * 2 for f in files}
    workers = max(1, min(4, os.cpu_count() or 1))
    with ProcessPoolExecutor(max_workers=workers) as pool:
        for path_name, gz, br in pool.map(_compress, sorted(jobs, key=lambda j: -Path(j[0]).stat().st_size)):
            sizes[Path(path_name).relative_to(out).as_posix()] = (gz, br)
    return sizes
