"""The run-time pieces shipped in the app (store, device zone) behave the same outside a browser."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from zoneinfo import ZoneInfo

import pytest

from aftercare_app.pwa import device
from aftercare_app.pwa.browser_store import BrowserStore, open_browser_store


def test_a_value_written_is_read_back_and_survives_a_new_store_on_the_same_folder(tmp_path):
    store = BrowserStore(tmp_path)
    store.set("diary/2026-11-22", "redness: mild — «ça va» 😊")
    assert BrowserStore(tmp_path).get("diary/2026-11-22") == "redness: mild — «ça va» 😊"


def test_missing_keys_give_the_default_and_delete_forgets(tmp_path):
    store = BrowserStore(tmp_path)
    assert store.get("absent") is None and store.get("absent", "x") == "x"
    store.set("a", "1")
    store.delete("a")
    store.delete("a")
    assert "a" not in store and store.keys() == []


def test_keys_are_listed_as_written_even_with_separators(tmp_path):
    store = BrowserStore(tmp_path)
    for key in ("b", "a/b", "../escape", "%"):
        store.set(key, key)
    assert store.keys() == sorted(["b", "a/b", "../escape", "%"])
    assert [p.parent for p in tmp_path.iterdir()] == [tmp_path] * 4


def test_a_write_leaves_no_temporary_file_behind(tmp_path):
    store = BrowserStore(tmp_path)
    store.set("k", "v" * 10_000)
    assert [p.name for p in tmp_path.iterdir()] == ["k.value"]


@pytest.mark.parametrize("key, value", [("", "v"), ("k", 3)])
def test_bad_keys_and_values_are_refused(tmp_path, key, value):
    with pytest.raises((ValueError, TypeError)):
        BrowserStore(tmp_path).set(key, value)


def _run(coroutine):
    # In a thread of its own: the browser tests' Playwright keeps an event loop running in the main thread.
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def test_outside_a_browser_the_store_is_a_plain_folder(tmp_path):
    store = _run(open_browser_store(str(tmp_path / "m"), fallback_dir=str(tmp_path / "data")))
    store.set("k", "v")
    _run(store.flush())
    assert (tmp_path / "data" / "k.value").read_text(encoding="utf-8") == "v"


def test_outside_a_browser_the_device_zone_is_the_one_the_caller_read():
    assert device.device_timezone_name("America/New_York") == "America/New_York"
    assert device.device_timezone("America/New_York") == ZoneInfo("America/New_York")
    assert device.device_timezone_name() is None


def test_an_unknown_zone_name_is_ignored():
    assert device.device_timezone_name("Mars/Olympus_Mons") is None
    assert device.device_timezone("Mars/Olympus_Mons") is not None


def test_outside_a_browser_the_device_keeps_its_data_in_the_folder_given_and_has_no_tabs(tmp_path):
    here = _run(device.prepare(tmp_path / "data"))
    assert (here.data_dir, here.tabs) == (tmp_path / "data", None) and here.data_dir.is_dir()


def test_a_lazy_package_is_unpacked_on_first_import_and_only_once(tmp_path, monkeypatch):
    import io
    import sys
    import tarfile

    from aftercare_app.pwa.lazy_imports import LazyPackages

    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        data = b"VALUE = 42\n"
        info = tarfile.TarInfo("lazy_probe_pkg/__init__.py")
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    fetched = []
    finder = LazyPackages({"lazy_probe_pkg": "lazy/probe.tar.gz"}, tmp_path,
                          fetch=lambda url: fetched.append(url) or buffer.getvalue())
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(sys, "meta_path", [finder, *sys.meta_path])
    import lazy_probe_pkg

    assert lazy_probe_pkg.VALUE == 42 and fetched == ["lazy/probe.tar.gz"]
    assert finder.find_spec("lazy_probe_pkg") is None and fetched == ["lazy/probe.tar.gz"]
    monkeypatch.delitem(sys.modules, "lazy_probe_pkg")


def test_the_pages_facts_about_the_phone_are_read_strictly():
    from types import SimpleNamespace

    from aftercare_app.pwa.phone import BrowserPhone, facts_from
    from aftercare_app.ui.phone import PhoneFacts

    assert facts_from(None) == PhoneFacts()
    page = SimpleNamespace(ios=True, installed=False, canShareFiles=True, canInstall="yes")
    assert facts_from(page) == PhoneFacts(ios=True, can_share_files=True)  # only true is true
    assert BrowserPhone().facts == PhoneFacts()  # outside a browser the page says nothing
