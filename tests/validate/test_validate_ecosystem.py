"""The pre-commit hooks and the README's CI examples name options that exist."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

from click.testing import CliRunner

from corresptei.cli import main

REPO = Path(__file__).resolve().parents[2]


def _validate_options() -> set[str]:
    cmd = main.commands["validate"]
    return {opt for p in cmd.params for opt in getattr(p, "opts", [])}


def test_pre_commit_hooks_run_corresptei_validate() -> None:
    text = (REPO / ".pre-commit-hooks.yaml").read_text()
    ids = re.findall(r"^- id: (\S+)$", text, flags=re.MULTILINE)
    entries = re.findall(r"^  entry: (.+)$", text, flags=re.MULTILINE)
    assert ids == ["corresptei-validate", "corresptei-validate-corpus"]
    assert len(entries) == len(ids)
    for entry in entries:
        words = shlex.split(entry)
        assert words[:2] == ["corresptei", "validate"]
        assert CliRunner().invoke(main, [*words[1:2], "--help"]).exit_code == 0


def test_readme_ci_examples_use_real_options() -> None:
    readme = (REPO / "README.md").read_text()
    section = readme.split("## Validating in CI", 1)[1]
    used = set(re.findall(r"corresptei validate((?: --?[a-z-]+(?: [^ \n`|>]+)?)*)", section))
    options = _validate_options()
    seen = set()
    for args in used:
        for word in args.split():
            if word.startswith("-"):
                seen.add(word)
                assert word in options, word
    assert {"--format", "--changed"} <= seen
    for fmt in re.findall(r"--format (\w+)", section):
        assert fmt in ("text", "json", "junit", "sarif", "github")
