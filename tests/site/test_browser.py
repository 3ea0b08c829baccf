"""The repository's site in a real browser (headless chromium) from file://: pages load
without console errors, search finds a defined term's clause, the variant picker shows a diff,
the outcome chart is drawn, hostile text stays text, and phone widths do not scroll sideways."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from generator.site.build import write
from tests.site.browser import chromium, errors
from tests.site.support import SCRIPT, hostile_build

PAGES = ("index.html", "clauses/service-credits.html", "deals/offshore-remote.html")


@pytest.fixture(scope="module")
def driver() -> Iterator[Any]:
    with chromium() as d:
        yield d


def url(folder: Path, page: str) -> str:
    return (folder / page).resolve().as_uri()


def test_home_clause_deal_and_search_pages_load_without_console_errors(
    driver: Any, repo_site_dir: Path
) -> None:
    for page in (*PAGES, "definitions.html", "search.html?q=credit"):
        driver.get(url(repo_site_dir, page.split("?")[0]) + ("?q=credit" if "?" in page else ""))
        assert driver.find_element("css selector", "h1").text
        assert errors(driver) == [], page


def test_search_for_a_defined_term_finds_the_clause_that_defines_it(
    driver: Any, repo_site_dir: Path
) -> None:
    driver.get(url(repo_site_dir, "search.html") + "?q=Service%20Credit")
    first = driver.find_element("css selector", "#results li a")
    assert first.get_attribute("href").endswith("/clauses/service-credits.html")
    assert "defines" in driver.find_element("css selector", "#results li .meta").text
    box = driver.find_element("id", "q")  # typing searches as you go
    box.clear()
    box.send_keys("Exit Plan")
    links = driver.find_elements("css selector", "#results li a")
    assert links and links[0].get_attribute("href").endswith("/clauses/exit-plan.html")
    assert errors(driver) == []


def test_the_reader_picks_two_variants_and_sees_insertions_and_deletions(
    driver: Any, repo_site_dir: Path
) -> None:
    from selenium.webdriver.support.ui import Select

    driver.get(url(repo_site_dir, "clauses/service-credits.html"))
    form = driver.find_element("css selector", "form.picker")
    assert form.is_displayed()  # the script revealed the picker
    Select(form.find_element("name", "a")).select_by_value("client")
    Select(form.find_element("name", "b")).select_by_value("provider")
    shown = [d for d in driver.find_elements("css selector", "section.diff") if d.is_displayed()]
    assert [(d.get_attribute("data-a"), d.get_attribute("data-b")) for d in shown] == [
        ("client", "provider")
    ]
    assert shown[0].find_elements("tag name", "ins") and shown[0].find_elements("tag name", "del")
    Select(form.find_element("name", "a")).select_by_value("provider")
    Select(form.find_element("name", "b")).select_by_value("client")  # the same pair, reversed
    shown = [d for d in driver.find_elements("css selector", "section.diff") if d.is_displayed()]
    assert len(shown) == 1 and "reversed" in shown[0].get_attribute("class")
    assert errors(driver) == []


def test_the_outcome_chart_is_drawn_where_outcomes_exist(driver: Any, repo_site_dir: Path) -> None:
    driver.get(url(repo_site_dir, "clauses/service-credits.html"))
    chart = driver.find_element("css selector", "svg.chart")
    bars = chart.find_elements("css selector", "rect.bar")
    rows = driver.find_elements(
        "css selector", "#outcomes + * tbody tr, section[aria-labelledby=outcomes] tbody tr"
    )
    assert bars and len(bars) == len(rows)
    assert chart.size["width"] > 200
    driver.get(url(repo_site_dir, "clauses/anti-bribery.html"))
    assert driver.find_elements("css selector", "svg.chart") == []


def test_hostile_text_is_shown_as_text_and_runs_nothing(driver: Any, tmp_path: Path) -> None:
    out = tmp_path / "site"
    write(hostile_build(tmp_path), out, force=False)
    for page in ("clauses/services.html", "deals/small.html", "index.html"):
        driver.get(url(out, page))
        assert SCRIPT in driver.find_element("tag name", "body").text
        assert driver.execute_script("return document.querySelectorAll('img, iframe').length") == 0
        assert driver.execute_script("return typeof window.alert === 'function'")
    driver.get(url(out, "search.html") + "?q=alert")
    assert SCRIPT in driver.find_element("id", "results").text  # the summary, as text
    assert errors(driver) == []


@pytest.mark.parametrize("width", [1280, 390])
def test_screenshots_at_desktop_and_phone_widths(
    driver: Any, repo_site_dir: Path, tmp_path: Path, width: int
) -> None:
    """Written to $CLAUSEBOOK_SCREENSHOTS (to look at) or a temporary folder."""
    folder = Path(os.environ.get("CLAUSEBOOK_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    driver.set_window_size(width, 900)
    try:
        for page in PAGES:
            driver.get(url(repo_site_dir, page))
            scroll = driver.execute_script("return document.documentElement.scrollWidth")
            inner = driver.execute_script("return window.innerWidth")
            assert scroll <= inner, f"{page} scrolls sideways at {width}px ({scroll} > {inner})"
            png = folder / f"{page.replace('/', '_')[:-5]}-{width}.png"
            driver.save_screenshot(str(png))
            assert png.stat().st_size > 10_000
    finally:
        driver.set_window_size(1280, 900)


def test_keyboard_reaches_the_skip_link_first_and_print_drops_the_chrome(
    driver: Any, repo_site_dir: Path
) -> None:
    from selenium.webdriver.common.keys import Keys

    driver.get(url(repo_site_dir, "clauses/service-credits.html"))
    driver.find_element("tag name", "body").send_keys(Keys.TAB)
    active = driver.switch_to.active_element
    assert active.get_attribute("class") == "skip" and active.is_displayed()
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        assert not driver.find_element("css selector", "header.top").is_displayed()
        diffs = driver.find_elements("css selector", "section.diff")
        assert len(diffs) > 1 and all(d.is_displayed() for d in diffs)  # every pair on paper
    finally:
        driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
