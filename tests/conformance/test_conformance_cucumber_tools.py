"""conform's Cucumber reports, read by Cucumber's own tools (npm packages pinned in
``tools/cucumber``; ``.ci/run`` installs them with ``npm ci``): Cucumber Messages through
``@cucumber/html-formatter`` (the HTML report) and ``@cucumber/junit-xml-formatter`` (which
reads every message through ``@cucumber/query``) and checked against the messages JSON schema
that ``@cucumber/messages`` ships; the Cucumber JSON through ``cucumber-html-reporter``.
Skipped, with the reason, where Node or the packages are missing."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator
from mutants.conform_run import REPO, conform

TOOLS = REPO / "tools" / "cucumber"
MODULES = TOOLS / "node_modules"
QA = Path(__file__).resolve().parent / "qa_folder"

pytestmark = pytest.mark.skipif(
    shutil.which("node") is None or not (MODULES / "@cucumber" / "html-formatter").is_dir(),
    reason="needs Node and the Cucumber npm packages: cd tools/cucumber && npm ci",
)


def _node(*args: str) -> dict[str, object]:
    run = subprocess.run(["node", str(TOOLS / "consume.mjs"), *args], cwd=TOOLS,
                         capture_output=True, text=True, timeout=120, check=False)
    assert run.returncode == 0, run.stderr[-3000:]
    result: dict[str, object] = json.loads(run.stdout.strip().splitlines()[-1])
    return result


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("cucumber")
    paths = {"messages": folder / "qa.ndjson", "json": folder / "qa.json"}
    run = conform("--features", str(QA), "--tags", "apparel or zh-CN", "--cucumber-messages",
                  str(paths["messages"]), "--cucumberjson", str(paths["json"]))
    assert run.returncode == 1, run.stdout[-2000:]  # the fixture has a failing case
    return paths


def test_messages_follow_the_cucumber_messages_schema(reports: dict[str, Path]) -> None:
    schema = json.loads((MODULES / "@cucumber" / "messages" / "messages.schema.json")
                        .read_text(encoding="utf-8"))
    validator = Draft202012Validator(schema)
    lines = reports["messages"].read_text(encoding="utf-8").splitlines()
    kinds = [next(iter(json.loads(line))) for line in lines]
    for line in lines:
        errors = [e.message for e in validator.iter_errors(json.loads(line))]
        assert errors == [], (line[:300], errors)
    assert kinds[0] == "meta" and kinds[-1] == "testRunFinished"
    for kind in ("source", "gherkinDocument", "pickle", "stepDefinition", "hook", "testCase",
                 "testRunStarted", "testCaseStarted", "testStepStarted", "testStepFinished",
                 "testCaseFinished"):
        assert kind in kinds, kind


def test_cucumber_formatters_read_the_messages(
    reports: dict[str, Path], tmp_path: Path
) -> None:
    html, xml = tmp_path / "report.html", tmp_path / "cucumber-junit.xml"
    seen = _node("messages", str(reports["messages"]), str(html), str(xml))
    statuses = {c["name"]: c["status"] for c in seen["cases"]}  # type: ignore[attr-defined]
    # 8 QA cases + the 18 packaged Chinese ones (selected by --tags "apparel or zh-CN").
    assert len(statuses) == 26, statuses
    assert statuses["A mistyped phrase"] == "UNDEFINED"
    assert statuses["写错的步骤用语"] == "UNDEFINED"
    assert statuses["The QA engineer expects the unpaid label for an in-policy return"] == (
        "FAILED")
    assert statuses["A shirt returned in time is authorized at once"] == "PASSED"
    assert seen["success"] is False
    wrong = next(c for c in seen["cases"]  # type: ignore[attr-defined]
                 if c["name"].startswith("The QA engineer"))
    assert [s["status"] for s in wrong["steps"]][-3:] == ["FAILED", "SKIPPED", "SKIPPED"]
    assert all(s["definitions"] == 1 for s in wrong["steps"] if s["text"])
    # Cucumber's JUnit formatter counts what a CI page would show.
    suite = ET.parse(xml).getroot()
    assert suite.get("tests") == "26" and suite.get("failures") == "4", ET.tostring(suite)[:300]
    page = html.read_text(encoding="utf-8")
    assert "A mistyped phrase" in page and page.lstrip().startswith("<!DOCTYPE html>")


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("chromium") is None, reason="needs Debian's chromium")
def test_cucumbers_html_report_shows_the_right_statuses_in_a_browser(
    reports: dict[str, Path], tmp_path: Path
) -> None:
    html = tmp_path / "report.html"
    _node("messages", str(reports["messages"]), str(html), str(tmp_path / "junit.xml"))
    run = subprocess.run(
        ["chromium", "--headless=new", "--no-sandbox", "--disable-gpu",
         f"--user-data-dir={tmp_path / 'profile'}", "--virtual-time-budget=10000",
         "--dump-dom", html.as_uri()],
        capture_output=True, text=True, timeout=120, check=False,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    body = re.sub(r"<(script|style)[^>]*>.*?</\1>", "", run.stdout, flags=re.S)
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))
    assert "passed 22 undefined 2 failed 2" in text, text[:600]
    assert "Scenario: A mistyped phrase" in text and "No step definition found" in text
    assert "qa_folder/zh-CN/服装退货.feature" in text


def test_a_json_report_renderer_reads_the_cucumber_json(
    reports: dict[str, Path], tmp_path: Path
) -> None:
    html = tmp_path / "json-report.html"
    _node("json", str(reports["json"]), str(html))
    page = html.read_text(encoding="utf-8")
    assert "A mistyped phrase" in page and "服装退货" in page
