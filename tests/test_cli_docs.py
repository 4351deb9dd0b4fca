"""Every command documents itself: help text with an Example block."""

from __future__ import annotations

import click
import pytest
from click.testing import CliRunner

from corresptei.cli import main


def commands(group: click.Group, prefix=()):
    for name, cmd in sorted(group.commands.items()):
        yield prefix + (name,), cmd
        if isinstance(cmd, click.Group):
            yield from commands(cmd, prefix + (name,))


@pytest.mark.parametrize("path,cmd", list(commands(main)), ids=lambda v: " ".join(v) if isinstance(v, tuple) else "")
def test_command_has_help_with_example(path, cmd):
    r = CliRunner().invoke(main, [*path, "--help"])
    assert r.exit_code == 0
    assert "Example:" in r.output, f"corresptei {' '.join(path)} --help has no Example: block"


def test_version_and_help():
    assert CliRunner().invoke(main, ["--version"]).output.startswith("corresptei, version")
    assert CliRunner().invoke(main, ["-h"]).exit_code == 0
