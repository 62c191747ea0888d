"""The static build holds exactly what the offline app needs, and the local server serves it correctly."""

from __future__ import annotations

import json
import re
import tarfile
import urllib.error
import urllib.request

import pytest

from aftercare_app.cli import main as cli_main
from aftercare_app.site import BuildError
from aftercare_app.site.archive import parse_app_spec
from aftercare_app.site.build import build_site
from aftercare_app.site.server import serving

pytestmark = pytest.mark.slow


def _archive_names(build) -> set[str]:
    with tarfile.open(build.out_dir / "app.tar.gz") as tar:
        return set(tar.getnames())


def test_the_build_ships_one_renderer_and_no_unused_runtime(probe_build):
    files = {p.relative_to(probe_build.out_dir).as_posix() for p in probe_build.out_dir.rglob("*") if p.is_file()}
    assert "canvaskit/canvaskit.wasm" in files
    assert not [f for f in files if re.search(r"skwasm|wimp|main\.dart\.wasm|\.symbols$|\.map$|chromium/", f)]
    assert not [f for f in files if f.startswith("pyodide/") and f.endswith((".whl", ".exe", ".d.ts"))]
    assert "flutter_service_worker.js" not in files


CDN_HOSTS = ("gstatic.com", "jsdelivr.net", "googleapis.com", "unpkg.com", "pypi.org", "pythonhosted.org")


def test_no_file_points_the_app_at_a_cdn(probe_build):
    for name in ("index.html", "flet-config.js", "flutter_bootstrap.js", "pwa.js", "sw.js", "python.js",
                 "python-worker.js"):
        text = (probe_build.out_dir / name).read_text(encoding="utf-8")
        assert not [host for host in CDN_HOSTS if host in text], name
    assert "cdn.jsdelivr.net" not in (probe_build.out_dir / "main.dart.js").read_text(encoding="utf-8")


def test_index_carries_a_same_origin_content_security_policy_and_no_inline_script(probe_build):
    html = (probe_build.out_dir / "index.html").read_text(encoding="utf-8")
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', html).group(1)
    assert "default-src 'self'" in csp and "connect-src 'self'" in csp and "script-src 'self' 'wasm-unsafe-eval'" in csp
    assert "unsafe-eval'" not in csp.replace("wasm-unsafe-eval'", "")
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "inline scripts would need 'unsafe-inline'"


def test_the_manifest_makes_an_installable_standalone_app(probe_build):
    manifest = json.loads((probe_build.out_dir / "manifest.webmanifest").read_text(encoding="utf-8"))
    assert manifest["name"] and manifest["short_name"] and manifest["description"]
    assert manifest["display"] == "standalone" and manifest["start_url"] == "./"
    assert manifest["theme_color"].startswith("#") and manifest["background_color"].startswith("#")
    purposes = {(icon["sizes"], icon["purpose"]) for icon in manifest["icons"]}
    assert {("192x192", "any"), ("512x512", "any"), ("192x192", "maskable"), ("512x512", "maskable")} <= purposes
    for icon in manifest["icons"]:
        assert (probe_build.out_dir / icon["src"]).is_file()


def test_the_service_worker_precaches_every_file_the_app_loads(probe_build):
    sw = (probe_build.out_dir / "sw.js").read_text(encoding="utf-8")
    precache = json.loads(re.search(r"const PRECACHE = (\[.*?\]);", sw, re.S).group(1))
    assert f'const VERSION = "{probe_build.version}"' in sw
    for path in precache:
        assert path == "./" or (probe_build.out_dir / path).is_file(), path
    for needed in ("index.html", "main.dart.js", "canvaskit/canvaskit.wasm", "pyodide/pyodide.asm.wasm",
                   "pyodide/python_stdlib.zip", "app.tar.gz", "manifest.webmanifest", "assets/FontManifest.json"):
        assert needed in precache


def test_the_app_archive_holds_every_python_dependency_and_installs_nothing(probe_build):
    names = _archive_names(probe_build)
    for module in ("flet/__init__.py", "msgpack/fallback.py", "repath.py", "six.py", "tinydb/__init__.py",
                   "dateutil/__init__.py", "tzdata/zoneinfo/Europe/Paris"):
        assert f"__pypackages__/{module}" in names, module
    assert "aftercare_app/pwa/browser_store.py" in names and "pwa_main.py" in names
    assert not [n for n in names if n.endswith((".so", ".pyc")) or "/__pycache__/" in n or "flet/testing" in n]
    assert "pyproject.toml" not in names
    with tarfile.open(probe_build.out_dir / "app.tar.gz") as tar:
        assert tar.extractfile("requirements.txt").read() == b""
        metadata = [n for n in names if n.startswith("__pypackages__/python_dateutil-")]
        assert metadata and "-4." in metadata[0]


def test_the_pdf_library_waits_in_an_archive_of_its_own_until_first_imported(probe_build):
    with tarfile.open(probe_build.out_dir / "lazy/pdf.tar.gz") as tar:
        lazy = set(tar.getnames())
    assert {"fpdf/__init__.py", "fontTools/ttLib/__init__.py", "defusedxml/__init__.py"} <= lazy
    assert not [n for n in _archive_names(probe_build) if n.startswith(("__pypackages__/fpdf", "__pypackages__/fontTools"))]
    assert "lazy/pdf.tar.gz" in probe_build.precache
    with tarfile.open(probe_build.out_dir / "app.tar.gz") as tar:
        entry = tar.extractfile("pwa_main.py").read().decode()
    assert "'fpdf': 'lazy/pdf.tar.gz'" in entry


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
