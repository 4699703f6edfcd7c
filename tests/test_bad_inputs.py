"""The bad-input corpus (tests/bad_inputs/cases.yaml), run through `factdesk check` and `mkdocs build`.

Each case puts one file into a copy of the fixture project. A bad file must give its exact report and exit
code 1 through both entry points, with no traceback and no site written; an accepted file (Windows line
endings, a byte-order mark, related claims in a cycle, raw HTML in Markdown) must pass both.
"""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
import yaml
from helpers import copy_project, run

CORPUS = Path(__file__).parent / "bad_inputs"
CASES = yaml.safe_load((CORPUS / "cases.yaml").read_text(encoding="utf-8"))
MKDOCS_HEADER = "ERROR   -  factdesk found problems in the claim data:"


def place(case: dict, tmp_path: Path) -> Path:
    """A copy of the fixture project with the case's file in place."""
    project = copy_project(tmp_path)
    data = (CORPUS / case["file"]).read_bytes()
    if "repeat" in case:
        data = data.replace(b"@@REPEAT@@", (case["repeat"]["text"] * case["repeat"]["times"]).encode())
    (project / case["target"]).write_bytes(data)
    return project


def expected_report(case: dict) -> list[str]:
    return case["report"].replace("{today}", datetime.date.today().isoformat()).splitlines()


def params():
    return [pytest.param(case, id=case["case"]) for case in CASES]


def test_the_corpus_is_complete():
    names = [case["case"] for case in CASES]
    assert len(names) == len(set(names))
    bad = [case for case in CASES if case["exit"] == 1]
    assert len(bad) >= 40
    assert {case["exit"] for case in CASES} == {0, 1}
    files = sorted(p.name for p in CORPUS.iterdir() if p.name not in ("cases.yaml", ".gitattributes"))
    assert sorted(case["file"] for case in CASES) == files, "every file is one case, every case one file"
    for case in CASES:
        assert case["about"] and case["target"]
        assert ("report" in case) == (case["exit"] == 1), case["case"]


def test_every_problem_names_its_place_and_gives_a_hint():
    for case in CASES:
        if case["exit"] == 0:
            continue
        *problems, count = expected_report(case)
        assert count.endswith(" warnings.") and count.startswith(f"{len(problems)} error")
        for line in problems:
            where, _, rest = line.partition(": ")
            path, row, col = where.rsplit(":", 2)
            assert path and row.isdigit() and col.isdigit(), line
            assert " Hint: " in rest, f"{case['case']}: no hint in {line}"


@pytest.mark.parametrize("case", params())
def test_factdesk_check(case, tmp_path):
    result = run(["factdesk", "check"], cwd=place(case, tmp_path))
    assert result.returncode == case["exit"], result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    if case["exit"]:
        assert result.stderr.splitlines() == expected_report(case)
        assert result.stdout == ""
    else:
        assert result.stderr == ""
        assert result.stdout.startswith("Checked 2 claims and 2 sources in ") and result.stdout.endswith(": OK.\n")


@pytest.mark.slow
@pytest.mark.parametrize("case", params())
def test_mkdocs_build(case, tmp_path):
    project = place(case, tmp_path)
    result = run(["mkdocs", "build"], cwd=project)
    assert result.returncode == case["exit"], result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    if case["exit"]:
        lines = result.stderr.splitlines()
        start = lines.index(MKDOCS_HEADER) + 1
        assert lines[start:start + len(expected_report(case))] == expected_report(case)
        assert not (project / "site").exists(), "a failed build writes no site"
    else:
        assert (project / "site/claims/moon-made-of-cheese/index.html").is_file()
