"""The click group and the options shared by every command.

The CLI is a thin layer: each command parses options, calls the library and
turns library errors into messages on stderr with fixed exit codes:
0 ok, 1 findings (invalid input, errors found), 2 usage or I/O problems.
"""

from __future__ import annotations

import atexit
import functools
import gc
import sys

import click

from .. import __version__
from ..errors import CorrespteiError

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2

# The interpreter's collections at exit would walk every object a run made (60 ms after
# validating a folder); frozen, they are freed by reference counting and the system alone.
# (Objects in reference cycles are not finalised at exit: the CLI keeps no such resource.)
atexit.register(gc.freeze)

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


class UsageFailure(click.ClickException):
    """An I/O or usage problem: exit status 2."""

    exit_code = EXIT_USAGE


@click.group(context_settings=CONTEXT_SETTINGS)
@click.version_option(__version__, "--version", prog_name="corresptei")
def main() -> None:
    """corresptei: archival correspondence to TEI P5, validated and rendered.

    \b
    Example:
        corresptei encode seeds/*.txt --out tei/
    """


def library_errors(func):
    """Turn library exceptions into a one-line message and exit status 2."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except CorrespteiError as exc:
            raise UsageFailure(str(exc)) from exc
        except OSError as exc:
            raise UsageFailure(f"{getattr(exc, 'filename', '') or ''}: {exc.strerror or exc}") from exc

    return wrapper


def format_option(*choices: str, default: str = "text"):
    """The one ``--format`` option every reporting command shares."""
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(list(choices)),
        default=default,
        show_default=True,
        help="How findings are written.",
    )


def echo_err(message: str) -> None:
    click.echo(message, err=True)


def is_terminal() -> bool:
    return sys.stderr.isatty()
