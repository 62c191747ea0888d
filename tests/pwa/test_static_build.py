"""The static build holds exactly what the offline app needs, and the local server serves it correctly."""

from __future__ import annotations

import io
import json
import re
import tarfile
import urllib.error
import urllib.request
import zipfile
from pathlib import Path

import pytest

from aftercare_app.cli import main as cli_main
from aftercare_app.site import BuildError
from aftercare_app.site.archive import parse_app_spec
from aftercare_app.site.build import build_site
from aftercare_app.site.client import CLIENT_STARTUP_SCREEN, RIVE_CDN, RIVE_LOCAL, web_client
from aftercare_app.site.server import serving

pytestmark = pytest.mark.slow


def _zip_names(build, name: str = "app.zip") -> set[str]:
    with zipfile.ZipFile(build.out_dir / name) as archive:
        return set(archive.namelist())


def _tar_names(build, name: str = "app.tar.gz") -> set[str]:
    with tarfile.open(build.out_dir / name) as tar:
        return set(tar.getnames())


def _worker_constants(build) -> tuple[list[str], dict[str, list[str]], list[str]]:
    sw = (build.out_dir / "sw.js").read_text(encoding="utf-8")
    read = lambda name: json.loads(re.search(rf"const {name} = (.*?);\n", sw, re.S).group(1))  # noqa: E731
    return read("PRECACHE"), read("CANVASKIT"), read("ON_DEMAND")


def test_the_build_ships_one_renderer_in_two_cuts_and_no_unused_runtime(probe_build):
    files = {p.relative_to(probe_build.out_dir).as_posix() for p in probe_build.out_dir.rglob("*") if p.is_file()}
    assert {"canvaskit/canvaskit.wasm", "canvaskit/chromium/canvaskit.wasm"} <= files  # full, and Chromium's smaller
    assert not [f for f in files if re.search(r"skwasm|wimp|main\.dart\.wasm|\.symbols$|\.map$|experimental", f)]
    assert not [f for f in files if f.startswith("pyodide/") and f.endswith((".whl", ".exe", ".d.ts"))]
    assert "flutter_service_worker.js" not in files and "pyodide/python_stdlib.zip" not in files  # ours instead
    assert "assets/packages/cupertino_icons/assets/CupertinoIcons.ttf" not in files  # no Cupertino icon drawn
    client = (probe_build.out_dir / "main.dart.js").read_text(encoding="utf-8")
    assert RIVE_CDN not in client and RIVE_LOCAL in client
    assert CLIENT_STARTUP_SCREEN not in client  # the site's own start screen only: no spinner drawn under it


def test_the_web_client_is_refused_when_what_the_build_changes_in_it_is_not_there():
    client = f'x="{RIVE_CDN}";B.s=new A.a3(B.k,{CLIENT_STARTUP_SCREEN},t.yf)'
    assert CLIENT_STARTUP_SCREEN in web_client(client, own_start_screen=False)  # flet-web's own, as it shipped
    assert CLIENT_STARTUP_SCREEN not in web_client(client, own_start_screen=True)
    with pytest.raises(BuildError, match="Rive"):
        web_client(client.replace(RIVE_CDN, "https://example.org/"), own_start_screen=True)
    with pytest.raises(BuildError, match="start-up screen"):
        web_client(client.replace("Working...", "Loading..."), own_start_screen=True)


def test_the_stock_build_is_flet_webs_own_worker_with_sources(stock_probe_build):
    files = {p.relative_to(stock_probe_build.out_dir).as_posix() for p in stock_probe_build.out_dir.rglob("*") if p.is_file()}
    assert {"app.tar.gz", "pyodide/python_stdlib.zip", "canvaskit/canvaskit.wasm"} <= files
    assert not [f for f in files if f.startswith("canvaskit/chromium/") or f.endswith((".pyc", ".zip.br"))]
    names = _tar_names(stock_probe_build)
    for module in ("flet/__init__.py", "msgpack/fallback.py", "repath.py", "six.py", "tinydb/__init__.py",
                   "dateutil/__init__.py", "tzdata/zoneinfo/Europe/Paris"):
        assert f"__pypackages__/{module}" in names, module
    assert not [n for n in names if n.endswith((".so", ".pyc")) or "/__pycache__/" in n or "flet/testing" in n]
    with tarfile.open(stock_probe_build.out_dir / "app.tar.gz") as tar:
        assert tar.extractfile("requirements.txt").read() == b""
        entry = tar.extractfile("pwa_main.py").read().decode()
    assert "'fpdf': 'lazy/pdf.tar.gz'" in entry and "ft.run(_app)" in entry
    precache, canvaskit, _ = _worker_constants(stock_probe_build)
    assert {"app.tar.gz", "pyodide/python_stdlib.zip", "canvaskit/canvaskit.wasm", "lazy/pdf.tar.gz"} <= set(precache)
    assert canvaskit == {"full": [], "chromium": []}
    assert "python.js" in files and "stdlibPath" not in (stock_probe_build.out_dir / "python.js").read_text()
    assert CLIENT_STARTUP_SCREEN in (stock_probe_build.out_dir / "main.dart.js").read_text(encoding="utf-8")


def test_the_service_worker_precaches_every_file_the_app_loads_and_keeps_the_rest_on_first_use(probe_build):
    precache, canvaskit, on_demand = _worker_constants(probe_build)
    sw = (probe_build.out_dir / "sw.js").read_text(encoding="utf-8")
    assert f'const VERSION = "{probe_build.version}"' in sw
    for path in [*precache, *canvaskit["full"], *canvaskit["chromium"], *on_demand]:
        assert path == "./" or (probe_build.out_dir / path).is_file(), path
    for needed in ("index.html", "main.dart.js", "pyodide/pyodide.asm.wasm", "python/stdlib.zip", "app.zip",
                   "python-worker.js", "lazy/pdf.zip", "manifest.webmanifest", "assets/FontManifest.json"):
        assert needed in precache, needed
    assert canvaskit == {"full": ["canvaskit/canvaskit.js", "canvaskit/canvaskit.wasm"],
                         "chromium": ["canvaskit/chromium/canvaskit.js", "canvaskit/chromium/canvaskit.wasm"]}
    assert "lazy/rest.zip" in on_demand and not set(on_demand) & set(precache)


def test_the_app_archive_holds_every_python_dependency_as_bytecode_and_installs_nothing(probe_build):
    names = _zip_names(probe_build)
    for module in ("flet/__init__.pyc", "msgpack/fallback.pyc", "repath.pyc", "six.pyc", "tinydb/__init__.pyc",
                   "dateutil/__init__.pyc", "tzdata/zoneinfo/Europe/Paris"):
        assert module in names, module
    assert {"aftercare_app/pwa/browser_store.py", "aftercare_app/pwa/browser_store.pyc", "pwa_main.py"} <= names
    assert not [n for n in names if n.endswith(".so") or "/__pycache__/" in n or "flet/testing" in n]
    assert "requirements.txt" not in names and "pyproject.toml" not in names
    assert [n for n in names if n.startswith("python_dateutil-4.") and n.endswith("METADATA")]
    with zipfile.ZipFile(probe_build.out_dir / "app.zip") as archive:
        assert all(i.compress_type == zipfile.ZIP_STORED for i in archive.infolist())  # read in place, no inflating


def test_the_bytecode_names_the_file_the_browser_has_and_keeps_only_the_apps_docstrings(probe_build):
    import marshal

    def code(archive: str, name: str):
        with zipfile.ZipFile(probe_build.out_dir / archive) as z:
            data = z.read(name)
        assert int.from_bytes(data[4:8], "little") == 0b01  # hash-based, not checked against a source
        return marshal.loads(data[16:])

    store = code("app.zip", "aftercare_app/pwa/browser_store.pyc")
    assert store.co_filename == "/home/pyodide/app.zip/aftercare_app/pwa/browser_store.py"
    assert store.co_consts[0] and "persistent folder" in store.co_consts[0]  # the app's own docstring stays
    tinydb = code("app.zip", "tinydb/__init__.pyc")
    assert not any(isinstance(c, str) and "TinyDB is a tiny" in c for c in tinydb.co_consts)
    events = code("python/stdlib.zip", "asyncio/events.pyc")
    assert events.co_filename == "/lib/python314.zip/asyncio/events.py"


def test_modules_no_flow_imports_wait_in_an_archive_fetched_only_if_asked_for(probe_build):
    rest = _zip_names(probe_build, "lazy/rest.zip")
    core = _zip_names(probe_build, "python/stdlib.zip")
    assert "xmlrpc/client.pyc" in rest and "xmlrpc/client.pyc" not in core
    assert {"asyncio/events.pyc", "json/decoder.pyc", "encodings/cp1252.pyc", "importlib/metadata/__init__.pyc"} <= core
    entry = zipfile.ZipFile(probe_build.out_dir / "app.zip").read("pwa_main.py").decode()
    assert "'xmlrpc.client': 'lazy/rest.zip'" in entry


def test_the_pdf_library_waits_in_an_archive_of_its_own_until_first_imported(probe_build):
    lazy = _zip_names(probe_build, "lazy/pdf.zip")
    assert {"fpdf/__init__.pyc", "fontTools/ttLib/__init__.pyc"} <= lazy
    assert [n for n in lazy if n.startswith("defusedxml/__init__.py")]
    assert not [n for n in _zip_names(probe_build) if n.startswith(("fpdf/", "fontTools/"))]
    assert "lazy/pdf.zip" in probe_build.precache
    entry = zipfile.ZipFile(probe_build.out_dir / "app.zip").read("pwa_main.py").decode()
    assert "'fpdf': 'lazy/pdf.zip'" in entry and "ft.run(_main)" in entry


def test_dependencies_come_from_the_project_with_browser_markers():
    from aftercare_app.site.archive import project_dependencies

    names = project_dependencies()
    assert {"flet", "msgpack", "tinydb", "dateutil", "tzdata", "fpdf", "fontTools"} <= set(names)
    assert not {"httpx", "oauthlib", "flet_web", "PIL"} & set(names)  # not for Emscripten / not shipped


def test_the_same_sources_give_the_same_version(probe_build, tmp_path):
    from tests.pwa.conftest import build_probe

    again = build_probe(tmp_path / "again")
    assert again.version == probe_build.version


def test_a_bad_app_entry_is_refused_before_anything_is_written(tmp_path):
    out = tmp_path / "web"
    with pytest.raises(BuildError, match="not found"):
        build_site(out, app="no_such_module:main")
    with pytest.raises(BuildError, match=r"package\.module:function"):
        parse_app_spec("no colon")
    assert not out.exists()
    assert cli_main(["pwa", "build", "--out", str(out), "--app", "nope"]) == 2


def test_the_command_line_refuses_to_serve_a_folder_without_a_build(tmp_path, capsys):
    assert cli_main(["pwa", "serve", "--dir", str(tmp_path)]) == 2
    assert "run 'python -m aftercare_app pwa build' first" in capsys.readouterr().err


def _get(url: str, headers: dict[str, str] | None = None):
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def test_the_server_sends_the_right_types_precompressed_bodies_and_a_strict_policy(probe_build):
    with serving(probe_build.out_dir) as url:
        expected = {
            "canvaskit/canvaskit.wasm": "application/wasm",
            "pyodide/pyodide.mjs": "text/javascript",
            "manifest.webmanifest": "application/manifest+json",
            "assets/FontManifest.json": "application/json",
            "": "text/html; charset=utf-8",
        }
        for path, content_type in expected.items():
            status, headers, _ = _get(url + path)
            assert status == 200 and headers["Content-Type"] == content_type, path
            assert "connect-src 'self'" in headers["Content-Security-Policy"]
            assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]

        status, headers, body = _get(url + "main.dart.js", {"Accept-Encoding": "gzip, br"})
        assert headers["Content-Encoding"] == "br" and len(body) < (probe_build.out_dir / "main.dart.js").stat().st_size
        status, headers, _ = _get(url + "main.dart.js", {"If-None-Match": headers["ETag"],
                                                         "Accept-Encoding": "gzip, br"})
        assert status == 304

        assert _get(url + "../../../etc/passwd")[0] == 404
        alias = json.loads((probe_build.out_dir / "fonts/fallback/aliases.json").read_text(encoding="utf-8"))
        subset = next(path for path in alias if path.startswith("notocoloremoji/"))
        status, headers, _ = _get(url + "fonts/fallback/" + subset)
        assert status == 200 and headers["Content-Type"] == "font/ttf"


def test_without_debians_fonts_the_fallback_fonts_come_from_the_python_package():
    from flet_web import get_package_web_dir

    from aftercare_app.site.fonts import NOTO_DIRS, fallback_fonts, font_folders

    package_only = [folder for folder in font_folders() if folder not in NOTO_DIRS]
    assert package_only, "the manimgx-fonts package is a dependency of the project"
    main_js = (Path(get_package_web_dir()) / "main.dart.js").read_text(encoding="utf-8")
    files, aliases, missing = fallback_fonts(main_js, package_only)
    shipped = {path.split("/", 1)[0] for path in files}
    assert {"notosans", "notocoloremoji", "notosansarabic", "notosanshebrew", "notosansthai"} <= shipped
    assert set(missing) == {"Noto Sans Symbols 2", "Noto Sans Math"}  # named in the build's notes
    assert all(target in files for target in aliases.values())
    from fontTools.ttLib import TTFont

    merged = TTFont(io.BytesIO(next(data for path, data in files.items() if path.startswith("notosans/"))))
    assert ord("ह") in merged.getBestCmap() and ord("é") in merged.getBestCmap()  # Devanagari merged in
