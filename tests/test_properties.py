"""Property tests: whatever bytes a contributor commits, loading and checking end in a result, never a crash.

Hypothesis writes random YAML-like text and mutations of the fixture's valid claim, source and rating
files (flipped bytes, lost or repeated lines, shifted indentation, values swapped for other types, huge
or unusual text) into a copy of the fixture project, then runs the whole check. Each example must give
either a clean result or problems that name a file, line and column; a clean result must also render.
Each example has a time limit, so a hang fails the test instead of stalling the suite.

`make test` runs a fixed, bounded set of examples (the "default" profile: 200 per test, 600 in all, chosen
the same way on every run). For a longer random search (3,000 per test), with statistics:
FACTDESK_HYPOTHESIS_PROFILE=thorough .venv/bin/python -m pytest tests/test_properties.py --hypothesis-show-statistics
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import signal
from contextlib import contextmanager
from pathlib import Path

import pytest
from factdesk.load import Layout
from factdesk.pipeline import Result, check
from factdesk.render import RenderError, SiteOptions, render
from helpers import FIXTURE_PROJECT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

settings.register_profile("default", max_examples=200, deadline=2000, derandomize=True,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("thorough", max_examples=3000, deadline=5000, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("FACTDESK_HYPOTHESIS_PROFILE", "default"))

TODAY = dt.date(2026, 11, 22)
TIME_LIMIT = 10  # seconds for one example, however slow the machine: beyond this it is a hang
TARGETS = ["claims/moon-made-of-cheese.yaml", "claims/sources/daily-planet-moon.yaml", "ratings.yaml"]
ORIGINALS = {target: (FIXTURE_PROJECT / target).read_bytes() for target in TARGETS}
OPTIONS = SiteOptions(site_url="https://fixture.example/", publisher_name="Fixture desk",
                      publisher_url="https://fixture.example/")


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("properties") / "project"
    shutil.copytree(FIXTURE_PROJECT, target)
    return target


@contextmanager
def time_limit(seconds: int):
    """Turn a hang into a failure: SIGALRM interrupts the example."""
    def expire(signum, frame):
        raise TimeoutError(f"one example took more than {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")  # as YAML reads them: NEL and the Unicode separators too


def line_count(data: bytes) -> int:
    """Lines of a file, the last one counted even without a line break."""
    text = data.decode("utf-8", "replace")
    return len(LINE_BREAK.findall(text)) + (1 if text and not LINE_BREAK.fullmatch(text[-1]) else 0)


def check_with(project: Path, target: str, data: bytes) -> Result:
    """Put `data` in place of one file, run the whole check (and render when clean), restore the file."""
    path = project / target
    path.write_bytes(data)
    try:
        with time_limit(TIME_LIMIT):
            result = check(Layout.under(project), today=TODAY)
            assert isinstance(result, Result)
            for problem in result.problems:
                assert problem.path and problem.line >= 1 and problem.col >= 1, problem
                assert problem.message and problem.format().startswith(f"{problem.path}:{problem.line}:")
                named = project / problem.path  # a file the contributor can open, at a line it has
                assert named.is_file(), problem
                assert problem.line <= line_count(named.read_bytes()) + 1, problem  # or the end of the file
            if result.ok:
                try:
                    pages = render(result.corpus, OPTIONS)[0]
                except RenderError as exc:
                    assert exc.problems
                else:
                    assert "claims/index.md" in pages
    finally:
        path.write_bytes(ORIGINALS[target])
    return result


# -- random YAML-like text -------------------------------------------------------------------------------

FRAGMENTS = ["id", "claim", "verdict", "appearances", "source", "quote", "ratings", "title", "url", "snapshot",
             "related", "tags", "history", "date", "value", "colour", ": ", ":", "- ", "-", "\n", "\n  ", "\n    ",
             "\t", " ", "[", "]", "{", "}", ",", '"', "'", "&a ", "*a", "!tag ", "!!python/object ", "---\n", "...",
             "#", "|", ">-", "?", "%YAML 1.1\n", "~", "null", "true", "no", "2026-02-30", "2026-01-06", "9999-12-31",
             "https://x.example/", "javascript:alert(1)", "../", "moon-made-of-cheese", "daily-planet-moon",
             "\u202e", "\ufeff", "\x00", "\r\n", "\u0430", "é", "<script>", "\\", "\\u0000", "0x1F", "1e9", "-1"]

yaml_like = st.lists(st.sampled_from(FRAGMENTS) | st.text(max_size=8), max_size=60).map("".join)


@given(target=st.sampled_from(TARGETS), text=yaml_like)
def test_random_yaml_like_text_never_crashes(project, target, text):
    check_with(project, target, text.encode("utf-8", "surrogatepass"))


@given(target=st.sampled_from(TARGETS), data=st.binary(max_size=300))
def test_random_bytes_never_crash(project, target, data):
    check_with(project, target, data)


# -- mutations of valid files ----------------------------------------------------------------------------

ODD_VALUES = ["[1, 2]", "{a: b}", "~", '""', "''", "-", "- x", "x" * 5000, "\u202e\u0430\u00e9\U0001f600", "2026-02-30",
              "9999-12-31", "0001-01-01", "-1", "1e400", "true", "no", "!tag x", "&anchor x", "*alias", '"\\x00"',
              "javascript:alert(1)", "../../etc", "|\n  block\n  text", ">-\n  folded", "[[[[[[[[[[]]]]]]]]]]",
              "{x: {y: {z: [1]}}}", "'unclosed", '"unclosed', "a: b: c", "#comment", "@@", "%", "`"]


def mutate(original: bytes, draw) -> bytes:
    lines = original.decode("utf-8").split("\n")
    kind = draw(st.sampled_from(["flip", "delete", "duplicate", "indent", "value", "swap", "truncate"]))
    i = draw(st.integers(0, len(lines) - 1))
    if kind == "flip":
        data = bytearray(original)
        for _ in range(draw(st.integers(1, 4))):
            data[draw(st.integers(0, len(data) - 1))] = draw(st.integers(0, 255))
        return bytes(data)
    if kind == "delete":
        del lines[i]
    elif kind == "duplicate":
        lines.insert(i, lines[i])
    elif kind == "indent":
        shift = draw(st.integers(-4, 4))
        lines[i] = " " * max(shift, 0) + (lines[i][-shift:] if shift < 0 else lines[i])
    elif kind == "value" and ": " in lines[i]:
        key = lines[i].split(": ", 1)[0]
        lines[i] = f"{key}: {draw(st.sampled_from(ODD_VALUES) | st.text(max_size=40))}"
    elif kind == "swap":
        j = draw(st.integers(0, len(lines) - 1))
        lines[i], lines[j] = lines[j], lines[i]
    elif kind == "truncate":
        return original[: draw(st.integers(0, len(original)))]
    return "\n".join(lines).encode("utf-8", "surrogatepass")


@st.composite
def mutated(draw):
    target = draw(st.sampled_from(TARGETS))
    data = ORIGINALS[target]
    for _ in range(draw(st.integers(1, 3))):
        data = mutate(data, draw) if data else data
        if not data:
            break
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            break  # a flipped byte made it binary: check that as it is
    return target, data


@given(case=mutated())
def test_mutated_valid_files_never_crash(project, case):
    target, data = case
    check_with(project, target, data)


def test_the_unmutated_fixture_is_clean(project):
    """The mutations start from valid files, so a problem found is the mutation's doing."""
    result = check(Layout.under(project), today=TODAY, strict=True)
    assert result.problems == []
