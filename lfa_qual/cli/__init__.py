"""The `lfa-qual` command line: argument parsing and turning errors into messages.

Each command group lives in its own module with a `register(subparsers)` function; a command's
handler takes the parsed arguments and returns the exit status.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys
import tempfile
import traceback
from collections.abc import Sequence
from pathlib import Path

from lfa_qual.errors import LfaError

EXIT_OK, EXIT_INTERNAL, EXIT_USER = 0, 1, 2
COMMAND_MODULES = ["lfa_qual.cli.core"]
OPTIONAL_MODULES = [
    "lfa_qual.cli.suggest",
    "lfa_qual.cli.export",
    "lfa_qual.cli.reliability",
    "lfa_qual.cli.refiqda",  # after export: adds `export qdpx|qdc` and options of `import`
    "lfa_qual.cli.team",  # merge, agreement, disagreements
    "lfa_qual.cli.names",  # names, pseudonymise
    "lfa_qual.cli.memos",  # memo project, memos
    "lfa_qual.cli.grid",  # grid, export grid
    "lfa_qual.cli.codebook_edit",  # codebook add|relabel|move|merge|undo
]


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse's own exits with 2 too; keep its usage line
        self.print_usage(sys.stderr)
        self.exit(EXIT_USER, f"lfa-qual: error: {message}\n")


def log_path() -> Path:
    base = Path(os.environ.get("XDG_STATE_HOME", Path.home() / ".local" / "state"))
    return base / "lfa-qual" / "lfa-qual.log"


def common_options() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--project", type=Path, default=argparse.SUPPRESS, help="project folder (default: .)"
    )
    common.add_argument(
        "--debug", action="store_true", default=argparse.SUPPRESS, help="show tracebacks"
    )
    common.add_argument(
        "--coder",
        default=argparse.SUPPRESS,
        help="coder name: who signs new codings (default: project config, then your login);"
        " in exports and stats: count only this coder's codings",
    )
    return common


def build_parser() -> argparse.ArgumentParser:
    common = common_options()
    parser = Parser(
        prog="lfa-qual",
        description="Qualitative coding of Danish interview transcripts. "
        "Without a command, opens the terminal UI on the project.",
        parents=[common],
    )
    parser.add_argument(
        "--version", action="store_true", help="print versions and the NLP pipeline"
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    for name in COMMAND_MODULES + OPTIONAL_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == name:
                continue
            raise
        module.register(sub, common)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    args.project = getattr(args, "project", None) or Path(".")
    args.debug = getattr(args, "debug", False)
    args.coder = getattr(args, "coder", None)
    try:
        if args.version:
            from lfa_qual.cli.core import print_version

            return print_version(args)
        handler = getattr(args, "func", None)
        if handler is None:
            from lfa_qual.cli.core import open_ui

            return open_ui(args)
        return int(handler(args) or 0)
    except LfaError as exc:
        if args.debug:
            traceback.print_exc()
        print(f"lfa-qual: error: {exc}", file=sys.stderr)
        return EXIT_USER
    except KeyboardInterrupt:
        print("lfa-qual: interrupted; every action reported done was saved", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except Exception:
        if args.debug:
            traceback.print_exc()
        where = _log_exception()
        print(
            f"lfa-qual: internal error (a bug, not your data). Details are in {where}; "
            "run with --debug to see them here.",
            file=sys.stderr,
        )
        return EXIT_INTERNAL


def _log_exception() -> Path:
    path = log_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError:
        path = Path(tempfile.gettempdir()) / "lfa-qual.log"
    logging.basicConfig(filename=path, level=logging.ERROR, format="%(asctime)s %(message)s")
    logging.getLogger("lfa_qual").error("internal error\n%s", traceback.format_exc())
    return path
