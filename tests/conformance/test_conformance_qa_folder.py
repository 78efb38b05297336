"""A QA engineer's own folder of features, run as they would run it: ``returns-sim conform
--features DIR`` in a real process, selected by id and tag, with messages they can act on and
reports in JUnit and Cucumber formats. The fixture ``qa_folder/`` holds one passing feature,
one with a failing step, one with an undefined step and a mistyped setting, and one in Chinese.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

from mutants.conform_run import conform, outcomes

QA = Path(__file__).resolve().parent / "qa_folder"
ONLY_QA = ("--features", str(QA), "--no-builtin")


def test_a_qa_folder_runs_alone_with_every_outcome() -> None:
    run = conform(*ONLY_QA)
    assert run.returncode == 1, run.stdout[-3000:]
    assert outcomes(run.stdout) == {
        "passed": 4, "wrong answer": 1, "crash": 0, "timeout": 0, "protocol violation": 0,
        "refused": 0, "errored": 3,
    }
    # Locations are the feature files', never pytest's module in site-packages.
    assert "site-packages" not in run.stdout and "test_features.py" not in run.stdout
    assert "qa_folder/apparel_wrong_expectation.feature:9: Then the label is" in run.stdout
    assert "no case ran for" not in run.stdout


def test_a_qa_folder_runs_beside_the_packaged_suite_and_by_case_id() -> None:
    listed = conform("--features", str(QA), "--list")
    assert listed.returncode == 0, listed.stderr
    ids = [line.split()[0] for line in listed.stdout.splitlines()]
    assert "win-01" in ids and "qa-apparel-window-02" in ids and "zh-qa-apparel-typo" in ids
    one = conform("--features", str(QA), "--case", "qa-apparel-window", "-v")
    assert one.returncode == 0, one.stdout[-2000:]
    assert outcomes(one.stdout)["passed"] == 2
    assert "qa-apparel-window-02" in one.stdout  # -v: one line per case


def test_list_honours_tags_case_and_folders() -> None:
    run = conform(*ONLY_QA, "--list", "--tags", "@C03 and not @zh-CN")
    assert run.returncode == 0, run.stderr
    assert [ln.split()[0] for ln in run.stdout.splitlines()] == [
        "qa-apparel-in-policy", "qa-apparel-typo", "qa-apparel-wrong-label"]
    by_case = conform(*ONLY_QA, "--list", "--case", "qa-apparel-window", "--tags", "C04")
    assert [ln.split()[0] for ln in by_case.stdout.splitlines()] == [
        "qa-apparel-window-01", "qa-apparel-window-02"]
    assert "qa_folder/apparel_returns.feature:" in by_case.stdout


def test_tags_may_be_written_with_at() -> None:
    run = conform("--tags", "@C11 and not @R07 and not @kept")
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr
    assert outcomes(run.stdout)["passed"] == 3


def test_chinese_prints_as_itself() -> None:
    run = conform(*ONLY_QA, "--list", "--tags", "zh-CN")
    assert "qa_folder/zh-CN/服装退货.feature:6  专业卖家的服装在退货期内退货" in run.stdout
    assert "\\u" not in run.stdout


def test_a_case_id_used_in_two_folders_is_an_error_naming_both(tmp_path: Path) -> None:
    (tmp_path / "mine.feature").write_text(
        "Feature: Mine\n\n  @C03 @case-close-twice\n  Scenario: Reused id\n"
        '    Given a professional seller "S1"\n', encoding="utf-8")
    run = conform("--features", str(tmp_path), "--list")
    assert run.returncode == 2
    assert "case id 'close-twice' is used twice" in run.stderr
    assert "features/closing_and_transit.feature:" in run.stderr
    assert f"{tmp_path.name}/mine.feature:4" in run.stderr


def test_a_folder_that_is_missing_or_empty_is_exit_2(tmp_path: Path) -> None:
    missing = conform("--features", str(tmp_path / "nope"))
    assert missing.returncode == 2 and "not a folder" in missing.stderr
    empty = conform("--features", str(tmp_path))
    assert empty.returncode == 2 and "no .feature file" in empty.stderr
    alone = conform("--no-builtin")
    assert alone.returncode == 2 and "--no-builtin needs at least one --features" in (
        alone.stderr)


def test_mistakes_in_a_feature_name_the_line_and_the_nearest_phrase_or_key() -> None:
    run = conform(*ONLY_QA, "--case", "qa-apparel-typo", "--case", "qa-apparel-bad-key",
                  "--case", "zh-qa-apparel-typo")
    out = run.stdout
    assert "qa_folder/apparel_typos.feature:6: unknown phrase: Given a profesional seller" in out
    assert 'nearest known phrases:\n    Given a professional seller "S1"\n' in out
    assert "qa_folder/apparel_typos.feature:15: unknown seller setting 'emial links'" in out
    assert "nearest: 'email links'" in out
    # A Chinese feature gets a Chinese message, with the right phrase first.
    assert "服装退货.feature:19：未知的步骤用语：那么 退货已经自动授权" in out
    assert "最接近的已知用语：\n    那么 退货已自动授权" in out
    assert "Traceback" not in out and ".py:" not in out
    verbose = conform(*ONLY_QA, "--case", "qa-apparel-bad-key", "-v")
    assert "steps/phrases.py" in verbose.stdout  # -v adds the Python traceback


def _reports(tmp_path: Path) -> tuple[Path, Path, Path]:
    junit, cucumber, messages = (tmp_path / "qa.xml", tmp_path / "qa.json",
                                 tmp_path / "qa.ndjson")
    run = conform(*ONLY_QA, "--junitxml", str(junit), "--cucumberjson", str(cucumber),
                  "--cucumber-messages", str(messages))
    assert run.returncode == 1, run.stdout[-2000:]
    return junit, cucumber, messages


def test_junit_names_cases_for_ci_pages(tmp_path: Path) -> None:
    junit, _, _ = _reports(tmp_path)
    suite = ET.parse(junit).getroot().find("testsuite")
    assert suite is not None
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors")) == ("8", "1", "3")
    cases = {c.get("name"): c for c in suite.iter("testcase")}
    wrong = cases["qa-apparel-wrong-label: The QA engineer expects the unpaid label for an "
                  "in-policy return"]
    assert wrong.get("classname") == "Apparel labels (a scenario that expects the wrong label)"
    assert wrong.find("failure") is not None
    typo = cases["qa-apparel-typo: A mistyped phrase"]
    assert typo.find("error") is not None
    props = [(p.get("name"), p.get("value")) for p in typo.iter("property")]
    assert ("clause", "C03") in props and ("case", "qa-apparel-typo") in props
    assert "zh-qa-apparel-typo: 写错的步骤用语" in cases


def test_cucumber_json_says_what_cucumber_would(tmp_path: Path) -> None:
    _, cucumber, _ = _reports(tmp_path)
    features = json.loads(cucumber.read_text(encoding="utf-8"))
    elements = {e["name"]: (f, e) for f in features for e in f["elements"]}
    assert len(elements) == 8  # the scenario with an undefined step is there too
    _feature, typo = elements["A mistyped phrase"]
    assert [s["result"]["status"] for s in typo["steps"]] == [
        "undefined", "skipped", "skipped", "skipped"]
    _, wrong = elements["The QA engineer expects the unpaid label for an in-policy return"]
    assert [s["result"]["status"] for s in wrong["steps"]] == [
        "passed", "passed", "passed", "failed", "skipped", "skipped"]
    assert "expected 'amazon_unpaid'" in wrong["steps"][3]["result"]["error_message"]
    assert wrong["steps"][3]["match"]["location"].startswith("sim/conformance/steps/outcomes.py:")
    assert {t["name"] for t in wrong["tags"]} == {"@apparel", "@C03",
                                                  "@case-qa-apparel-wrong-label"}
    assert wrong["id"] == ("apparel-labels-(a-scenario-that-expects-the-wrong-label);"
                           "the-qa-engineer-expects-the-unpaid-label-for-an-in-policy-return")
    zh_feature, _ = elements["写错的步骤用语"]
    assert zh_feature["uri"] == "qa_folder/zh-CN/服装退货.feature"
    assert all(not e["id"].startswith("test_") for _, e in elements.values())


def test_packaged_chinese_features_keep_their_folder_in_reports(tmp_path: Path) -> None:
    cucumber = tmp_path / "zh.json"
    run = conform("--tags", "zh-CN", "--case", "zh-dec-manual", "--cucumberjson", str(cucumber))
    assert run.returncode == 0, run.stdout[-2000:]
    uris = {f["uri"] for f in json.loads(cucumber.read_text(encoding="utf-8"))}
    assert uris and all(u.startswith("features/zh-CN/") for u in uris), uris


def test_expected_failures_name_cases_of_a_qa_folder(tmp_path: Path) -> None:
    listed = tmp_path / "xfail.toml"
    listed.write_text('[expected_failures]\nqa-apparel-wrong-label = "QA-12: label rule"\n',
                      encoding="utf-8")
    run = conform(*ONLY_QA, "--case", "qa-apparel-wrong-label", "--case", "qa-apparel-in-policy",
                  "--expected-failures", str(listed))
    assert run.returncode == 0, run.stdout[-2000:]
    found = outcomes(run.stdout)
    assert found["expected failure"] == 1 and found["passed"] == 1, found
    # Without the folder, the id names no case: the file is refused before anything runs.
    alone = conform("--expected-failures", str(listed))
    assert alone.returncode == 2 and "names no case of the suite" in alone.stderr
