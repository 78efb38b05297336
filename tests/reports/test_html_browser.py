"""Each kind of report opened in a real headless Chromium (Debian's ``chromium``, driven by
Playwright): the page loads with no console error and no request leaving the file, its KPI
table, every plot and every failing case are present and visible, and a screenshot is kept
(in the test's temporary folder and in bench/out/reports/, printed with ``-s``).

Without a browser the tests skip and say why; with RETURNS_SIM_REQUIRE_BROWSER=1 (CI sets it)
a missing browser fails instead, so CI cannot pass without looking at the pages.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from html_folders import make_conform, make_experiment, make_run, run_experiment

from sim.reports.html import REPORT_NAME
from sim.reports.kpis import KEY_ROWS

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("RETURNS_SIM_CHROMIUM", "/usr/bin/chromium"))
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SHOTS = REPO / "bench" / "out" / "reports"


def _no_browser(reason: str) -> None:
    if os.environ.get("RETURNS_SIM_REQUIRE_BROWSER"):
        pytest.fail(f"a browser is required here (RETURNS_SIM_REQUIRE_BROWSER) but {reason}")
    pytest.skip(f"no headless browser: {reason}")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    try:
        from playwright.sync_api import Error, sync_playwright
    except ImportError:
        _no_browser("Playwright for Python is not installed (pip install '.[test]')")
    if not CHROMIUM.is_file():
        _no_browser(f"{CHROMIUM} is missing (apt-get install chromium)")
    with sync_playwright() as p:
        try:
            launched = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        except Error as exc:
            _no_browser(f"{CHROMIUM} did not start: {exc}")
        yield launched
        launched.close()


@dataclass
class Visit:
    """A page opened from a file, with everything it asked for and complained about."""

    page: Any
    errors: list[str] = field(default_factory=list)
    outside: list[str] = field(default_factory=list)


def _local(url: str) -> bool:
    return url.startswith(("file:", "data:", "about:"))


def _open(browser: Any, html: Path) -> Visit:
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    visit = Visit(page)
    page.on("console", lambda m: visit.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda exc: visit.errors.append(str(exc)))
    page.on("request", lambda r: None if _local(r.url) else visit.outside.append(r.url))

    def route(route: Any, request: Any) -> None:
        if _local(request.url):
            route.continue_()
        else:
            visit.outside.append(request.url)
            route.abort()

    page.route("**/*", route)
    page.goto(html.as_uri(), wait_until="load")
    return visit


def _check_loaded(visit: Visit) -> None:
    page = visit.page
    assert visit.errors == [], f"console errors: {visit.errors}"
    assert visit.outside == [], f"requests leaving the file: {visit.outside}"
    images = page.locator("img")
    assert images.count() > 0
    for i in range(images.count()):
        img = images.nth(i)
        img.scroll_into_view_if_needed()
        assert img.is_visible(), f"plot {i} is not visible"
        width = img.evaluate("e => e.complete ? e.naturalWidth : 0")
        assert width > 100, f"plot {i} ({img.get_attribute('alt')}) did not decode"


def _screenshot(visit: Visit, tmp_path: Path, name: str, html: Path) -> Path:
    shot = tmp_path / f"{name}.png"
    visit.page.screenshot(path=str(shot), full_page=True)
    SHOTS.mkdir(parents=True, exist_ok=True)
    kept = SHOTS / shot.name
    shutil.copyfile(shot, kept)
    print(f"\n{name}: screenshot {shot} (copy: {kept}); page {html.stat().st_size:,} bytes")
    return kept


def test_run_report_opens_in_chromium(browser: Any, tmp_path: Path) -> None:
    folder = make_run(tmp_path / "run")
    html = folder / REPORT_NAME
    visit = _open(browser, html)
    _check_loaded(visit)
    page = visit.page
    table = page.locator("table.kpis")
    assert table.is_visible()
    assert table.locator("tr").count() == len(KEY_ROWS) + 1
    term = table.locator(".def").first
    term.hover()
    tooltip = term.evaluate("e => getComputedStyle(e, '::after').content")
    assert "every order placed in the horizon" in tooltip
    assert page.locator("img").count() == 5
    assert page.locator("#scenario").is_visible() and page.locator("#manifest").is_visible()
    _screenshot(visit, tmp_path, "run", html)


def test_conform_report_opens_in_chromium(browser: Any, tmp_path: Path) -> None:
    folder, _code = make_conform(tmp_path / "conform")
    html = folder / REPORT_NAME
    visit = _open(browser, html)
    page = visit.page
    assert visit.errors == [] and visit.outside == []
    assert page.locator("table.matrix").is_visible()
    lines = [json.loads(x) for x in (folder / "results.jsonl").read_text().splitlines()]
    failing = [x["id"] for x in lines if x["failure"]]
    cases = page.locator(".failing-case")
    assert cases.count() == len(failing) > 0
    for i, case_id in enumerate(failing):
        card = cases.nth(i)
        card.scroll_into_view_if_needed()
        assert card.is_visible() and case_id in card.inner_text()
        assert card.locator(".scenario-text").is_visible()
    assert page.locator("#hello").is_visible()
    _screenshot(visit, tmp_path, "conform", html)


@pytest.mark.parametrize("kind", ["compare", "sweep"])
def test_experiment_report_opens_in_chromium(browser: Any, tmp_path: Path, kind: str) -> None:
    from sim.reports.html import write_report

    html = write_report(make_experiment(tmp_path / kind, kind))
    visit = _open(browser, html)
    _check_loaded(visit)
    page = visit.page
    assert page.locator("table.comparison").first.is_visible()
    assert page.locator("table.settings").is_visible()
    assert page.locator(".beyond").count() > 1
    _screenshot(visit, tmp_path, kind, html)


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["compare", "sweep"])
def test_experiment_command_report_opens_in_chromium(browser: Any, tmp_path: Path,
                                                     kind: str) -> None:
    folder = run_experiment(tmp_path / kind, kind)
    html = folder / REPORT_NAME
    visit = _open(browser, html)
    _check_loaded(visit)
    page = visit.page
    assert page.locator("table.comparison").first.is_visible()
    pooled = page.locator('img[src^="data:image/png"]')  # the experiment's own plots
    assert pooled.count() == 2
    _screenshot(visit, tmp_path, f"{kind}-command", html)
