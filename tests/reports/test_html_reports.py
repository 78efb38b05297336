"""report.html of each kind of results folder, read as files: what the pages say, that they
need nothing beside them, that ``returns-sim report DIR`` rebuilds them from the data files,
and that the figures the page draws from events.csv agree with summary.json."""

from __future__ import annotations

import json
import re
import shutil
import sys
import tomllib
from pathlib import Path

import pytest
from html_folders import MUTANT, make_conform, make_experiment, make_run

from sim.commands.cli import main as cli
from sim.reports.html import REPORT_NAME, ReportError, write_report
from sim.reports.html.kpi_terms import DEFINITIONS, kpi_rows
from sim.reports.html.run_data import read_run
from sim.reports.html.settings import differences, merged

REPO = Path(__file__).resolve().parents[2]
EXTERNAL = re.compile(r"""(?:src|href)\s*=\s*["'](?!data:|#)""", re.I)


@pytest.fixture(scope="module")
def run_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_run(tmp_path_factory.mktemp("run") / "understaffed", "understaffed")


def _page(folder: Path) -> str:
    return (folder / REPORT_NAME).read_text(encoding="utf-8")


def test_run_writes_a_self_contained_report(run_folder: Path) -> None:
    html = _page(run_folder)
    assert not EXTERNAL.findall(html), "the page refers to something outside itself"
    assert "http://" not in html and "https://" not in html
    assert "<script" not in html
    assert html.count('<img src="data:image/svg+xml;base64,') == 5
    assert (run_folder / "scenario.toml").read_bytes() == (
        REPO / "scenarios" / "understaffed.toml").read_bytes()


def test_run_page_names_scenario_seed_and_what_differs(run_folder: Path) -> None:
    html = _page(run_folder)
    assert "<title>Run understaffed, seed 7</title>" in html
    for key in ("sellers.review.reviewers_professional", "sellers.review.work_days"):
        assert f"<code>{key}</code>" in html
    assert "6 settings differ from the bundled baseline" in html


def test_report_command_rebuilds_the_same_page_from_the_files(run_folder: Path,
                                                             tmp_path: Path) -> None:
    copy = tmp_path / "copy"
    shutil.copytree(run_folder, copy)
    (copy / REPORT_NAME).unlink()
    assert cli(["report", str(copy)]) == 0
    assert (copy / REPORT_NAME).read_bytes() == (run_folder / REPORT_NAME).read_bytes()


def test_page_figures_agree_with_the_summary(run_folder: Path) -> None:
    run = read_run(run_folder)
    summary = run.summary
    late = sum(v.size for v in run.events.late_answers.values())
    assert late == summary["manual_answered_after_respond_by"]
    for path in ("auto", "manual", "batch"):
        assert run.events.waits[path].hours.size == (
            summary["time_to_authorization_hours"][path]["count"])
    assert sum(a + b for a, b in run.by_category.values()) == summary["return_requests"]
    assert {c: a + b for c, (a, b) in run.by_category.items()} == {
        c: v["return_requests"] for c, v in summary["by_category"].items()}
    assert int(run.events.daily["requests"].sum()) == summary["return_requests"]
    assert set(run.events.plans) == {"professional", "individual"}
    for plan, figures in summary["by_plan"].items():  # the per-plan panels add up per plan
        assert run.events.late_answers[plan].size == figures["manual_answered_after_respond_by"]
        pending = [p for k in ("manual", "batch") for p in run.events.waits[k].plans]
        assert pending.count(plan) == figures["pending_to_authorization_hours"]["count"]


def test_non_returnable_category_has_no_window(run_folder: Path) -> None:
    run = read_run(run_folder)
    assert run.scenario is not None
    assert run.scenario["policy"]["non_returnable_categories"] == ["grocery"]
    inside, _outside = run.by_category["grocery"]
    assert inside == 0  # every grocery request is out of policy: nothing to draw a window for


def test_every_kpi_row_carries_its_definition(run_folder: Path) -> None:
    rows = kpi_rows(read_run(run_folder).summary)
    assert rows and all(r.definition for r in rows)
    assert f'data-def="{rows[0].definition}"' in _page(run_folder)


def test_definitions_are_the_ones_in_docs_results() -> None:
    text = (REPO / "docs" / "results.md").read_text(encoding="utf-8")
    section = text.split("## `summary.json`")[1].split("\n## ")[0]
    documented = {}
    for line in section.splitlines():
        if line.startswith("| `"):
            keys, meaning = (c.strip() for c in line.strip("|").split(" | "))
            plain = meaning.replace("`", "").replace("**", "")
            for key in re.findall(r"`([^`.<]+)[^`]*`", keys):
                documented[key] = plain
    documented.pop("", None)
    assert documented == {k: DEFINITIONS[k] for k in documented}
    assert set(DEFINITIONS) == set(documented)


def test_settings_diff_lists_only_what_changed() -> None:
    holiday = merged((REPO / "scenarios" / "holiday.toml").read_bytes())
    keys = [d.key for d in differences([holiday])]
    assert "policy.holiday.return_by" in keys and "demand.peak.multiplier" in keys
    assert "policy.default_window_days" not in keys
    assert differences([merged(b"")]) == []
    assert tomllib.loads((REPO / "scenarios" / "holiday.toml").read_text())  # a real file


def test_report_refuses_folders_it_cannot_read(tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    assert cli(["report", str(tmp_path / "missing")]) == 2
    assert "no such folder" in capsys.readouterr().err
    assert cli(["report", str(tmp_path)]) == 2
    assert "not a results folder (it has no manifest.json)" in capsys.readouterr().err
    (tmp_path / "manifest.json").write_text('{"tool": "returns-sandbox", "kind": "run"}')
    assert cli(["report", str(tmp_path)]) == 2
    assert "needs summary.json, which is missing" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["manifest.json"]


def test_conform_out_writes_a_folder_with_one_line_per_case(tmp_path: Path) -> None:
    folder, code = make_conform(tmp_path / "conform")
    assert code == 1  # the mutant fails the holiday cases
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["tool"] == "returns-sandbox" and manifest["kind"] == "conform"
    lines = [json.loads(x) for x in (folder / "results.jsonl").read_text().splitlines()]
    assert len(lines) == manifest["cases"] > 0
    failing = [x for x in lines if x["failure"]]
    assert failing and all(x["outcome"] == "wrong answer" for x in failing)
    first = failing[0]
    assert first["expected"] and first["actual"] and first["expected"] != first["actual"]
    assert first["text"].startswith("Scenario") and "Then" in first["text"]
    assert {"id", "feature", "scenario", "clauses", "message"} <= set(first)
    html = _page(folder)
    assert html.count('class="case failing-case"') == len(failing)
    assert json.loads((folder / "hello.json").read_text())["protocol"] == "rap/1"


def test_conform_lists_expected_failures_with_reasons(tmp_path: Path) -> None:
    listed = tmp_path / "xfail.toml"
    listed.write_text('[expected_failures]\nholiday = "no holiday rule yet (RET-1)"\n')
    page = tmp_path / "page.html"
    impl = f"cmd:{sys.executable} {MUTANT} holiday_ignored"
    code = cli(["conform", "--impl", impl, "--case", "holiday", "--expected-failures",
                str(listed), "--html", str(page)])
    html = page.read_text(encoding="utf-8")
    assert "no holiday rule yet (RET-1)" in html
    assert "expected failure" in html
    assert code in (0, 1)  # rows the mutant gets right anyway are unexpected passes
    assert sorted(p.name for p in tmp_path.iterdir()) == ["page.html", "xfail.toml"]


def test_conform_out_refuses_a_folder_it_did_not_write(tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("keep me")
    assert cli(["conform", "--case", "win", "--out", str(mine)]) == 2
    assert "is not a results folder written by returns-sim" in capsys.readouterr().err
    assert [p.name for p in mine.iterdir()] == ["notes.txt"]


@pytest.mark.parametrize("kind", ["compare", "sweep"])
def test_experiment_page_marks_differences_beyond_noise(tmp_path: Path, kind: str) -> None:
    folder = make_experiment(tmp_path / kind, kind)
    write_report(folder)
    html = _page(folder)
    data = json.loads((folder / "comparison.json").read_text())
    headline = set(data["headline"])
    beyond = [r for r in data["rows"] if r["beyond_noise"] and r["kpi"] in headline]
    assert beyond
    assert html.count(" ◆</span>") == sum(1 for r in data["rows"] if r["beyond_noise"])
    plots = html.count('<img src="data:image/svg+xml;base64,')
    assert plots == (3 if kind == "sweep" else 2)  # forest, spread (+ sweep curves)
    assert "<code>policy.default_window_days</code>" in html  # settings side by side


def test_experiment_folder_missing_a_file_is_refused(tmp_path: Path) -> None:
    folder = make_experiment(tmp_path / "compare")
    (folder / "replications.csv").unlink()
    with pytest.raises(ReportError, match=r"needs replications\.csv"):
        write_report(folder)
    assert not (folder / REPORT_NAME).exists()
