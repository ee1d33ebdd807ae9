"""Choosing and loading the spaCy pipeline, once per process, without ever downloading.

`auto` (the default) uses `da_core_news_sm` when it is installed, else the fallback: a blank
Danish pipeline with a sentencizer and the lookup lemmatizer from spacy-lookups-data. A name
the user gives must be an installed spaCy package or a pipeline directory.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from lfa_qual.errors import LfaError

if TYPE_CHECKING:
    from spacy.language import Language

PREFERRED = "da_core_news_sm"
FALLBACK = "blank:da"
# Components that suggestions never read; excluding them is most of a trained pipeline's cost.
UNNEEDED = ("ner", "parser", "textcat", "textcat_multilabel", "entity_linker", "senter_unused")

_lock = threading.Lock()
_loaded: dict[str, tuple[Language, PipelineInfo]] = {}


@dataclass(frozen=True)
class PipelineInfo:
    name: str  # the package name, the directory, or blank:da
    version: str
    spacy_version: str
    fallback: bool
    lookup_lemmas: bool  # lemmas come from the lookup table (we compute them ourselves, cached)

    @property
    def label(self) -> str:
        """What is stored with every suggestion."""
        return f"{self.name} {self.version}" + (" (fallback)" if self.fallback else "")


def resolve(name: str | None) -> str:
    """The concrete pipeline for a configured name (None or 'auto' → best installed)."""
    if name is None or name.strip() in ("", "auto"):
        return PREFERRED if is_installed(PREFERRED) else FALLBACK
    return name.strip()


def is_installed(package: str) -> bool:
    """Whether a pipeline package is installed: what `spacy.util.is_package` checks, from
    package metadata, without importing spaCy."""
    from importlib.metadata import PackageNotFoundError, distribution

    try:
        distribution(package)
    except PackageNotFoundError:
        return False
    return True


def fallback_info() -> PipelineInfo:
    """The fallback pipeline's description, known without loading it."""
    from lfa_qual.usercache import package_version

    return PipelineInfo(FALLBACK, "lookup", package_version("spacy"), True, True)


def load_pipeline(name: str | None = None) -> tuple[Language, PipelineInfo]:
    """The pipeline and its description; loaded once per process and name."""
    key = resolve(name)
    with _lock:
        if key not in _loaded:
            _loaded[key] = _load(key)
        return _loaded[key]


def _load(key: str) -> tuple[Language, PipelineInfo]:
    import spacy

    if key == FALLBACK:
        # No spaCy lemmatizer: with lookup lemmas lfa-qual computes (better) lemmas itself from
        # the prepared table (`lemma_table`), and spaCy's would spend 1.5 s of every start
        # building a hashed copy of that table. Loading ours here keeps the error for a
        # missing spacy-lookups-data where it was.
        from lfa_qual.nlp.lemma_table import load_table

        nlp = spacy.blank("da")
        nlp.add_pipe("sentencizer")
        load_table()
        return nlp, fallback_info()
    path = Path(key).expanduser()
    if not (path.is_dir() or is_installed(key)):
        raise LfaError(
            f"spaCy pipeline {key!r} is neither an installed package nor a pipeline directory; "
            "lfa-qual never downloads one: install it with pip (e.g. `pip install "
            f"{PREFERRED}` from a local wheel) or use --pipeline auto",
            field="pipeline",
        )
    try:
        nlp = spacy.load(path if path.is_dir() else key, exclude=list(UNNEEDED))
    except (OSError, ValueError, KeyError) as exc:
        raise LfaError(f"cannot load spaCy pipeline {key!r}: {exc}", field="pipeline") from None
    if not nlp.has_pipe("senter") and not nlp.has_pipe("sentencizer"):
        nlp.add_pipe("sentencizer")  # the parser gave sentences; it is excluded above
    lemmatizer = nlp.get_pipe("lemmatizer") if nlp.has_pipe("lemmatizer") else None
    lookup = lemmatizer is None or getattr(lemmatizer, "mode", "") == "lookup"
    meta = nlp.meta
    name = f"{meta.get('lang', 'xx')}_{meta.get('name', path.name)}"
    info = PipelineInfo(name, str(meta.get("version", "?")), spacy.__version__, False, lookup)
    return nlp, info


FALLBACK_KIND = "fallback: blank Danish + sentencizer + lookup lemmas with compound repair"


def describe_pipeline(name: str | None = None) -> str:
    """One line for `doctor`: pipeline, version, spaCy, fallback (loads the pipeline)."""
    try:
        _, info = load_pipeline(name)
    except LfaError as exc:
        return f"NLP pipeline: unavailable ({exc.message})"
    kind = FALLBACK_KIND if info.fallback else "installed pipeline"
    return f"NLP pipeline: {info.name} {info.version} (spaCy {info.spacy_version}; {kind})"


def describe_installed() -> str:
    """The line of `describe_pipeline()` for the default pipeline, from package metadata alone:
    `lfa-qual --version` must not spend seconds importing spaCy and loading a pipeline."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        spacy_version = version("spacy")
    except PackageNotFoundError:
        return "NLP pipeline: unavailable (spaCy is not installed)"
    if resolve(None) == FALLBACK:  # what `auto` will load
        return f"NLP pipeline: {FALLBACK} lookup (spaCy {spacy_version}; {FALLBACK_KIND})"
    try:
        found = version(PREFERRED.replace("_", "-"))
    except PackageNotFoundError:
        found = "?"
    return f"NLP pipeline: {PREFERRED} {found} (spaCy {spacy_version}; installed pipeline)"
