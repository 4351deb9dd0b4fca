"""One small bad input per failure mode: a file:line message, exit 1, the rest still encoded."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from corresptei.cli import main

HERE = Path(__file__).parent
GOOD = HERE.parents[1] / "seeds" / "004_959cbee7f1ac98c2.txt"


def cases():
    with open(HERE / "bad_cases.tsv", encoding="utf-8") as fh:
        return [r for r in csv.reader(fh, delimiter="\t") if r and not r[0].startswith("#")]


@pytest.mark.parametrize("name,code,message,written", cases(), ids=[c[0] for c in cases()])
def test_bad_input_is_reported_with_file_and_line(tmp_path, name, code, message, written):
    src = tmp_path / name
    shutil.copy(HERE / "bad" / name, src)
    good = tmp_path / GOOD.name
    shutil.copy(GOOD, good)
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["encode", str(src), str(good), "--out", str(out), "-q"])
    assert result.exit_code == int(code), result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)  # never a traceback
    assert f"{src.parent}/{message}" in result.stderr
    letters = sorted(p.name for p in out.glob("*.xml") if p.name != "persons.xml")
    # the good file's letter is always there, plus what could be read of the bad file
    assert len(letters) == int(written) + 1, letters
