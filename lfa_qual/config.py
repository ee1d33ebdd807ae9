"""The project configuration file `lfa-qual.yaml`."""

from __future__ import annotations

import getpass
import os
from dataclasses import dataclass, field
from pathlib import Path

from lfa_qual.citation import DEFAULT_TEMPLATE, FIELDS, check_template
from lfa_qual.errors import LfaError
from lfa_qual.role_groups import parse_role_groups
from lfa_qual.textfile import read_text_file
from lfa_qual.yamlutil import YamlProblem, load_yaml

CONFIG_NAME = "lfa-qual.yaml"
KEYS = {
    "coder",
    "codebook",
    "transcripts",
    "citation",
    "pipeline",
    "database",
    "blind",
    "consensus",
    "pseudonym_key",
    "role_groups",
}
# Settings that are yes/no rather than text.
FLAGS = {"blind"}


@dataclass
class ProjectConfig:
    coder: str = ""
    codebook: str = "codebooks/lfa.yaml"
    transcripts: str = "transcripts"
    citation: str = DEFAULT_TEMPLATE
    pipeline: str = "auto"
    database: str = "lfa-qual.db"
    # Team coding: show each coder only their own codings and suggestions (the TUI can toggle
    # it), and the coder name consensus decisions are recorded under.
    blind: bool = False
    consensus: str = "konsensus"
    # The name key (real names → pseudonyms, lfa_qual.names.key); relative to the project
    # folder, and best outside it. Empty: no key.
    pseudonym_key: str = ""
    # group → roles or patterns (see `lfa_qual.role_groups`); empty: each role's default group
    role_groups: dict[str, tuple[str, ...]] = field(default_factory=dict)


def default_coder() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return os.environ.get("USER", "coder")


def load_config(root: Path) -> ProjectConfig:
    path = root / CONFIG_NAME
    if not path.exists():
        return ProjectConfig()
    text, _ = read_text_file(path)
    try:
        doc = load_yaml(text)
    except YamlProblem as exc:
        raise LfaError(exc.message, path=path, line=exc.line) from None
    data = doc.data or {}
    if not isinstance(data, dict):
        raise LfaError("the project configuration must be a mapping of keys", path=path, line=1)
    config = ProjectConfig()
    for key, value in data.items():
        if key not in KEYS:
            raise LfaError(
                f"unknown key {key!r} (expected {', '.join(sorted(KEYS))})",
                path=path,
                line=doc.line(key),
            )
        if value is None:
            continue
        if key in FLAGS:
            if not isinstance(value, bool):
                raise LfaError(
                    f"'{key}' must be true or false", path=path, line=doc.line(key), field=key
                )
            setattr(config, key, value)
            continue
        if key == "role_groups":
            try:
                config.role_groups = parse_role_groups(value, doc.line)
            except LfaError as exc:
                raise LfaError(exc.message, path=path, line=exc.line, field=exc.field) from None
            continue
        if not isinstance(value, str | int | float):
            raise LfaError(f"'{key}' must be text", path=path, line=doc.line(key), field=key)
        setattr(config, key, str(value))
    try:
        check_template(config.citation)
    except LfaError as exc:
        raise LfaError(
            exc.message, path=path, line=doc.line("citation"), field="citation"
        ) from None
    if data.get("transcripts") is not None:
        # A mistyped folder would otherwise leave every command working on the stored
        # transcripts without a word. An empty folder is fine: a new project has one.
        folder = root / config.transcripts
        if not folder.is_dir():
            what = "is a file, not a folder" if folder.exists() else "does not exist"
            raise LfaError(
                f"the transcripts folder {config.transcripts!r} {what} ({folder}); correct the "
                "path, or create the folder",
                path=path,
                line=doc.line("transcripts"),
                field="transcripts",
            )
    return config


def render_config(coder: str) -> str:
    return (
        "# lfa-qual project settings\n"
        f"coder: {coder}\n"
        "codebook: codebooks/lfa.yaml\n"
        "transcripts: transcripts\n"
        f"# Fields (all text): {', '.join(FIELDS)}\n"
        f'citation: "{DEFAULT_TEMPLATE}"\n'
        "# auto: da_core_news_sm when installed, else the blank Danish pipeline with lookup lemmas\n"
        "pipeline: auto\n"
        "# The project store (one SQLite file), relative to this folder\n"
        "database: lfa-qual.db\n"
    )
