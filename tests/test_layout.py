"""The test suite's own layout: shared code lives in tests/helpers/, never in a test module.

A test module that imports another one runs that module's imports and couples the two
files, so a helper moves with every change to the tests around it.
"""

from __future__ import annotations

import re
import tokenize
from pathlib import Path

TESTS = Path(__file__).resolve().parent


def imported_modules(path: Path) -> set[str]:
    """Every module an `import` or `from ... import` statement in the file names (any depth).

    Read with tokenize, not ast: CPython 3.11.7's ast.parse can fail with "AST constructor
    recursion depth mismatch" when threads of earlier tests are alive (gh-106905).
    """
    found: set[str] = set()
    words: list[str] = []
    with tokenize.open(path) as source:
        for token in tokenize.generate_tokens(source.readline):
            if token.type in (tokenize.NEWLINE, tokenize.ENDMARKER):
                found |= _statement_modules(re.sub(r" ?\. ?", ".", " ".join(words)))
                words = []
            elif token.type not in SKIPPED:
                words.append(token.string)
    return found


SKIPPED = {tokenize.NL, tokenize.COMMENT, tokenize.INDENT, tokenize.DEDENT}


def _statement_modules(statement: str) -> set[str]:
    """`import a.b as c, d` -> {a.b, d}; `from a import (b, c as d)` -> {a, a.b, a.c}."""
    if match := re.fullmatch(r"import (.+)", statement):
        return {name.split()[0] for name in match[1].split(",")}
    if match := re.fullmatch(r"from ([\w.]+) import (.+)", statement):
        names = match[2].strip("() ").split(",")
        return {match[1]} | {f"{match[1]}.{name.split()[0]}" for name in names if name.strip()}
    return set()


def named_test_modules(names: set[str]) -> set[str]:
    return {name for name in names if name.split(".")[:2][-1].startswith("test_")}


def test_no_module_imports_a_test_module() -> None:
    offenders = {
        str(path.relative_to(TESTS)): sorted(named_test_modules(imported_modules(path)))
        for path in TESTS.rglob("*.py")
        if named_test_modules(imported_modules(path))
    }
    assert offenders == {}, "move shared code to tests/helpers/"


def test_the_check_sees_every_form_of_import(tmp_path: Path) -> None:
    source = tmp_path / "test_example.py"
    source.write_text(
        "import tests.test_crawl\n"
        "from tests import test_db_store\n"
        "from tests.test_fakeats import fetch\n"
        "def f():\n    from tests.test_scheduler_tick import (\n        Farm,  # a comment\n    )\n"
        "from tests.helpers.crawling import Crawl\n"
    )
    assert named_test_modules(imported_modules(source)) == {
        "tests.test_crawl",
        "tests.test_db_store",
        "tests.test_fakeats",
        "tests.test_fakeats.fetch",
        "tests.test_scheduler_tick",
        "tests.test_scheduler_tick.Farm",
    }


def test_support_code_lives_in_helpers() -> None:
    """Besides test modules, tests/ holds only conftest.py and the benchmarks (`make bench`)."""
    loose = {
        path.name
        for path in TESTS.glob("*.py")
        if not path.name.startswith(("test_", "bench"))
        and path.name not in {"__init__.py", "conftest.py"}
    }
    assert loose == set(), "shared test code belongs in tests/helpers/"
