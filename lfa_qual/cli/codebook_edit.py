"""`lfa-qual codebook add|relabel|move|merge|undo`: editing the codebook file from the command
line (see `lfa_qual.codebook_edit`); hooked into `codebook` by `lfa_qual.cli.core`."""

from __future__ import annotations

import argparse

from lfa_qual.cli.core import open_project, subcommands
from lfa_qual.errors import LfaError


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """`codebook add|relabel|move|merge|undo`, added to `lfa-qual codebook`."""
    csub = subcommands(sub, "codebook")
    a = csub.add_parser("add", parents=[common], help="create a code in the codebook file")
    a.add_argument("id", help="the new code's id (lower-case letters, digits, _)")
    a.add_argument("--label", required=True)
    a.add_argument("--parent", help="put it under this code (default: the top level)")
    a.add_argument("--color", help='"#rrggbb" (default: the next of the palette)')
    a.add_argument("--description", default="")
    a.set_defaults(func=cmd_add)
    r = csub.add_parser("relabel", parents=[common], help="change a code's label")
    r.add_argument("id")
    r.add_argument("label")
    r.set_defaults(func=cmd_relabel)
    m = csub.add_parser("move", parents=[common], help="move a code under another, or to the top")
    m.add_argument("id")
    where = m.add_mutually_exclusive_group(required=True)
    where.add_argument("--parent", help="the new parent code")
    where.add_argument("--top", action="store_true", help="to the top level")
    m.set_defaults(func=cmd_move)
    g = csub.add_parser(
        "merge", parents=[common], help="merge a code into another: its codings move along"
    )
    g.add_argument("source", help="the code that goes away")
    g.add_argument("target", help="the code that takes its codings")
    g.set_defaults(func=cmd_merge)
    u = csub.add_parser("undo", parents=[common], help="undo your latest codebook edit")
    u.set_defaults(func=cmd_undo)


def _run(args: argparse.Namespace, edit) -> int:
    from lfa_qual.codebook_edit import CodebookEditor

    with open_project(args) as project:
        project.sync_codebook()
        result = edit(CodebookEditor(project), project)
    print(result.message)
    for note in result.notes:
        print(f"  {note}")
    print(f"  backup of the previous file: {result.backup} (undo: lfa-qual codebook undo)")
    return 0


def cmd_add(args: argparse.Namespace) -> int:
    return _run(
        args,
        lambda e, _: e.create(args.id, args.label, args.parent, args.color, args.description),
    )


def cmd_relabel(args: argparse.Namespace) -> int:
    return _run(args, lambda e, _: e.relabel(args.id, args.label))


def cmd_move(args: argparse.Namespace) -> int:
    return _run(args, lambda e, _: e.move(args.id, None if args.top else args.parent))


def cmd_merge(args: argparse.Namespace) -> int:
    return _run(args, lambda e, p: e.merge(args.source, args.target, p.coder))


def cmd_undo(args: argparse.Namespace) -> int:
    from lfa_qual import history

    with open_project(args) as project:
        latest = next(
            (a for a in history.actions(project.store, project.coder) if not a.undone), None
        )
        if latest is None:
            raise LfaError("nothing to undo", field="history")
        if latest.kind != "codebook":
            raise LfaError(
                f"your latest action is “{latest.label}”, not a codebook edit; undo codings in "
                "the TUI (u)",
                field="history",
            )
        history.undo(project.store, project.coder)
    print(f"undone: {latest.label}")
    return 0
