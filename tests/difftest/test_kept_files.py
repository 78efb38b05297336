"""Kept-case files: written whole, one id per content, and refused (file, line, field) when
they are not one."""

from __future__ import annotations

from pathlib import Path

import pytest

from sim.difftest import kept

STEPS = [({"seq": 1, "op": "reset", "args": {}}, {"seq": 1, "ok": True, "result": {}}),
         ({"seq": 2, "op": "get_return", "args": {"return_id": "R1"}},
          {"seq": 2, "ok": False, "error": {"code": "unknown_return", "message": "no",
                                            "details": {"return_id": "R1"}}})]


def test_a_kept_case_reads_back_as_written_and_its_id_depends_only_on_what_is_compared(
        tmp_path: Path) -> None:
    case = kept.new_case("full", frozenset({"label_details"}), STEPS, "engine A",
                         {"step": 2, "path": "error.code"}, ("R09",))
    again = kept.new_case("full", frozenset({"label_details"}), STEPS, "engine B", None)
    assert case.case_id == again.case_id and case.case_id.startswith("k")
    assert kept.new_case("codes", frozenset(), STEPS, "", None).case_id != case.case_id
    path = kept.write(case, tmp_path / "cases")
    assert path.name == f"{case.case_id}.ndjson"
    assert kept.read(path) == case
    assert [p.name for p in (tmp_path / "cases").iterdir()] == [path.name]  # no temporaries


def _refusal(tmp_path: Path, text: str) -> str:
    path = tmp_path / "case.ndjson"
    path.write_text(text, "utf-8")
    with pytest.raises(kept.KeptCaseError) as error:
        kept.read(path)
    return str(error.value)


def test_files_that_are_not_kept_cases_or_traces_are_refused_with_file_line_and_field(
        tmp_path: Path) -> None:
    good = kept.new_case("full", frozenset(), STEPS, "", None)
    lines = kept.write(good, tmp_path / "k").read_text("utf-8").splitlines()
    message = _refusal(tmp_path, lines[0] + "\n{not json\n")
    assert message.startswith(f"{tmp_path / 'case.ndjson'}:2: not JSON")
    message = _refusal(tmp_path, lines[0] + '\n{"request": {"seq": 1, "op": "reset"}}\n')
    assert ":2: response: missing" in message
    message = _refusal(tmp_path, lines[0].replace('"level":"full"', '"level":"exact"') + "\n"
                       + lines[1] + "\n")
    assert ":1: level: must be one of decisions, codes, full" in message
    message = _refusal(tmp_path, lines[0] + "\n" + lines[1].replace("reset", "hello") + "\n")
    assert ":1: id: " in message and "does not match the content" in message
    message = _refusal(tmp_path, '{"request": {"seq": 1}, "response": {"seq": 1}}\n')
    assert ":1: response.ok: missing" in message
    assert "empty" in _refusal(tmp_path, "")


def test_a_trace_reads_as_its_requests_and_responses(tmp_path: Path) -> None:
    from sim.rap.envelope import dumps

    path = tmp_path / "trace.ndjson"
    path.write_text("".join(dumps({"request": r, "response": a}) + "\n" for r, a in STEPS))
    trace = kept.read(path)
    assert trace.is_trace and trace.level == "full"
    assert [s.request for s in trace.steps] == [r for r, _ in STEPS]
