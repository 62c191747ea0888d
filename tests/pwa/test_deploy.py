"""From a build to a link: ``pwa check URL`` finds what a host serves wrong (a missing file, a stale one, a type the
browser refuses), and addresses patients could not install from are refused before anything is built."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from aftercare_app.cli import main as cli_main
from aftercare_app.site import BuildError
from aftercare_app.site.deploy import check_site, site_url
from aftercare_app.site.server import serving


def test_a_site_served_as_built_passes_the_check(probe_build, capsys):
    with serving(probe_build.out_dir) as url:
        check = check_site(url, probe_build.out_dir)
        assert check.ok, check.problems
        assert check.checked > 20
        assert cli_main(["pwa", "check", url, "--dir", str(probe_build.out_dir)]) == 0
    assert "each with the type browsers need" in capsys.readouterr().out


def test_what_a_host_serves_wrong_is_named_file_by_file(probe_build, tmp_path, capsys):
    deployed = tmp_path / "deployed"
    shutil.copytree(probe_build.out_dir, deployed)
    (deployed / "pwa.js").unlink()  # an upload that missed a file
    (deployed / "manifest.webmanifest").write_text("{}", encoding="utf-8")  # one left from an older build

    def wrong_types(url: str, real):
        status, content_type, body = real(url)
        if url.endswith(".wasm"):
            content_type = "application/octet-stream"  # a host that does not know WebAssembly
        return status, content_type, body

    from aftercare_app.site import deploy

    with serving(deployed) as url:
        check = check_site(url, probe_build.out_dir, fetch=lambda u: wrong_types(u, deploy._fetch))
        assert cli_main(["pwa", "check", url, "--dir", str(probe_build.out_dir)]) == 1
    problems = "\n".join(check.problems)
    assert "pwa.js: HTTP 404" in problems
    assert "manifest.webmanifest: differs from the build" in problems
    assert "canvaskit.wasm: served as application/octet-stream, browsers need application/wasm" in problems
    assert "pwa.js: HTTP 404" in capsys.readouterr().out


@pytest.mark.parametrize("url", ["http://clinic.example/app/", "ftp://clinic.example/", "clinic.example",
                                 "https://clinic.example/app/?v=2"])
def test_an_address_patients_could_not_install_from_is_refused(url):
    with pytest.raises(BuildError):
        site_url(url)


def test_a_local_or_https_address_is_the_sites_folder():
    assert site_url("https://clinic.example/aftercare") == "https://clinic.example/aftercare/"
    assert site_url("http://127.0.0.1:8000/") == "http://127.0.0.1:8000/"


def test_a_bad_clinic_file_or_address_stops_the_build_in_one_line_before_anything_is_written(tmp_path, capsys):
    out = tmp_path / "web"
    clinic = tmp_path / "clinic.json"
    cases = {
        '{"name": "Parc", "phone": "+33 4 CALL", "emergency_number": "15"}': '"phone"',
        '{"name": "Parc", "phone": "+33 4 72", "emergency_number": "15", "follow_up_days": 120}': '"follow_up_days"',
        '{"phone": "+33 4 72", "emergency_number": "15"}': '"name" is missing',
        '{"name": "Parc", "phone": "+33 4 72", "emergency_number": "15",}': "is not JSON",
    }
    for text, named in cases.items():
        clinic.write_text(text, encoding="utf-8")
        assert cli_main(["pwa", "build", "--out", str(out), "--clinic", str(clinic)]) == 2
        error = capsys.readouterr().err.strip()
        assert named in error and "\n" not in error, error
    clinic.write_text('{"name": "Parc", "phone": "+33 4 72", "emergency_number": "15"}', encoding="utf-8")
    assert cli_main(["pwa", "build", "--out", str(out), "--clinic", str(clinic), "--url", "http://x.example/"]) == 2
    assert "not HTTPS" in capsys.readouterr().err
    assert not Path(out).exists()
