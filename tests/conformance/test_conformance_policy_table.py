"""The features cover the policy: every clause C01-C16, every rule R01-R11 and every error code
of rap/1 has a scenario; every tag belongs to a known family; case ids are unique and stable;
the Chinese set covers the core flows; docs/policy.md's "scenarios" column matches the tags."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from sim.conformance import FEATURES_DIR
from sim.conformance.cases import CLAUSES, ERROR_TAGS, RULES, all_cases, unknown_tags

POLICY_MD = Path(__file__).resolve().parents[2] / "docs" / "policy.md"
CASES = list(all_cases(FEATURES_DIR))


def test_every_clause_rule_and_error_code_has_a_scenario() -> None:
    tags = Counter(t for case in CASES for t in case.tags)
    missing = [t for t in (*CLAUSES, *RULES, *ERROR_TAGS) if not tags[t]]
    assert missing == [], f"no scenario checks {missing}"


def test_every_clause_rule_and_error_tag_names_something_known() -> None:
    assert unknown_tags({t for case in CASES for t in case.tags}) == []
    assert unknown_tags(["C17", "R12", "R1", "c03", "error-made_up", "bad tag"]) == [
        "C17", "R1", "R12", "bad tag", "c03", "error-made_up"]


def test_a_new_area_tag_is_allowed() -> None:
    # QA teams add areas (`@apparel`); conform accepts them, so the project tests do too.
    assert unknown_tags(["apparel", "areaX", "returns-2027", "zh-CN", "optional-x"]) == []


def test_case_ids_are_unique_and_every_scenario_has_one() -> None:
    ids = Counter(case.case_id for case in CASES)
    assert [i for i, n in ids.items() if n > 1] == []
    assert len(CASES) >= 200
    assert all(re.fullmatch(r"[a-z0-9-]+", case.case_id) for case in CASES)


def test_the_chinese_set_covers_the_core_flows() -> None:
    zh = {t for case in CASES if "zh-CN" in case.tags for t in case.clauses}
    assert {"C03", "C05", "C06", "C13", "C15", "C16"} <= zh


def _table_rows() -> dict[str, str]:
    """{clause or rule id: its 'scenarios' cell} from docs/policy.md."""
    rows = {}
    for line in POLICY_MD.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if cells and re.fullmatch(r"[CR]\d\d", cells[0]):
            rows[cells[0]] = cells[-1]
    return rows


def test_policy_table_lists_the_scenarios_of_each_clause() -> None:
    rows = _table_rows()
    assert sorted(rows) == sorted((*CLAUSES, *RULES)), "docs/policy.md lacks a clause or rule row"
    for clause, cell in rows.items():
        listed = set(re.findall(r"`([a-z0-9-]+)`", cell))
        tagged = {case.group for case in CASES if clause in case.tags}
        assert listed == tagged, (
            f"docs/policy.md, row {clause}: scenarios column lists {sorted(listed)}, "
            f"the features tag {sorted(tagged)}"
        )


def test_every_clause_tag_is_a_row_of_the_policy_table() -> None:
    rows = _table_rows()
    used = {t for case in CASES for t in case.tags if re.fullmatch(r"[CR]\d+", t)}
    assert used - set(rows) == set(), f"tags name no clause of docs/policy.md: {used - set(rows)}"
