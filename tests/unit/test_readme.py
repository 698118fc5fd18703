"""README's two commands stay true: CI runs exactly the test command README gives."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TEST_COMMAND = (
    'python3 -m venv .venv && .venv/bin/python -m pip install -e ".[test]" && .venv/bin/ruff check && .venv/bin/mypy'
    " && .venv/bin/lint-imports && .venv/bin/python -m pytest -n 4"
)
RUN_COMMAND = "pipx install . && cramp-coach"


def test_readme_gives_both_commands_and_ci_runs_the_test_one():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert TEST_COMMAND in readme
    assert RUN_COMMAND in readme
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert TEST_COMMAND in ci.splitlines()
