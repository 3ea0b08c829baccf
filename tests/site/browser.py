"""Debian's chromium and chromedriver through selenium: nothing is downloaded, ever.

Required (a failure, not a skip) when CLAUSEBOOK_REQUIRE_BROWSER is set, as .ci/run does; a
visible skip on a machine without them."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest


def _found(name: str) -> str | None:
    return shutil.which(name) or (
        f"/usr/bin/{name}" if Path(f"/usr/bin/{name}").is_file() else None
    )


def _missing(why: str) -> None:
    if os.environ.get("CLAUSEBOOK_REQUIRE_BROWSER"):
        pytest.fail(f"{why}; .ci/run installs chromium and chromium-driver")
    pytest.skip(f"{why}: apt-get install chromium chromium-driver")


@contextmanager
def chromium() -> Iterator[Any]:
    """One headless browser session (the caller shares it across a module's tests)."""
    browser, driver_path = _found("chromium"), _found("chromedriver")
    if browser is None or driver_path is None:
        _missing("chromium or chromedriver not installed")
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        _missing("selenium not installed (pip install -e '.[test]')")
    os.environ["SE_OFFLINE"] = "true"  # Selenium Manager must not fetch a browser or driver
    opts = webdriver.ChromeOptions()
    opts.binary_location = str(browser)
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--hide-scrollbars",
        "--window-size=1280,900",
        "--no-first-run",
        "--disable-extensions",
        "--disable-background-networking",
    ):
        opts.add_argument(arg)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path=str(driver_path)), options=opts)
    try:
        yield driver
    finally:
        driver.quit()


def errors(driver: Any) -> list[str]:
    """Console errors since the last call (the log is drained by reading it)."""
    return [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]
