"""The package's layers and the checks that keep them: no import circles, no upward imports.

Read top to bottom; a module may import from its own layer (without circles) and from the
layers below it, never from a layer above. Every module of `lfa_qual` must be in a layer, so a
new module is placed deliberately. The checks read the code's imports with grimp (the import
graph library behind import-linter), deferred imports inside functions included.
"""

from __future__ import annotations

import grimp

LAYERS: list[tuple[str, tuple[str, ...]]] = [
    (
        "interfaces",
        ("lfa_qual", "lfa_qual.__main__", "lfa_qual.api", "lfa_qual.cli", "lfa_qual.tui"),
    ),
    ("exports", ("lfa_qual.export", "lfa_qual.refiqda")),
    (
        "analysis and NLP",
        (
            "lfa_qual.analysis",
            "lfa_qual.agreement",
            "lfa_qual.consensus",
            "lfa_qual.drill",
            "lfa_qual.grid",
            "lfa_qual.names",
            "lfa_qual.nlp",
        ),
    ),
    (
        "domain",
        (
            "lfa_qual.project",
            "lfa_qual.merge",
            "lfa_qual.codebook_edit",
            "lfa_qual.review",
            "lfa_qual.memos",
            "lfa_qual.importer",
            "lfa_qual.history",
            "lfa_qual.suggestions",
            "lfa_qual.codings",
            "lfa_qual.reanchor",
            "lfa_qual.codebook_file",
            "lfa_qual.grid_summaries",
            "lfa_qual.codebook_sync",
            "lfa_qual.readers",
            "lfa_qual.subtitles",
            "lfa_qual.docx_reader",
            "lfa_qual.citation",
            "lfa_qual.config",
            "lfa_qual.role_groups",
            "lfa_qual.codebook",
            "lfa_qual.transcript",
        ),
    ),
    (
        "storage and text utilities",
        (
            "lfa_qual.store",
            "lfa_qual.schema",
            "lfa_qual.backup",
            "lfa_qual.outputs",
            "lfa_qual.textfile",
            "lfa_qual.text",
            "lfa_qual.csv_dialect",
            "lfa_qual.wording",
            "lfa_qual.yamlutil",
            "lfa_qual.progress",
            "lfa_qual.collector",
            "lfa_qual.usercache",
            "lfa_qual.errors",
            "lfa_qual.version",
        ),
    ),
]
UI_PACKAGES = ("textual", "rich")
UI_ALLOWED = ("lfa_qual.cli", "lfa_qual.tui")


def _owner(module: str, prefixes: tuple[str, ...]) -> str | None:
    """The longest prefix (a module or a package) that `module` is or lies in; the package's
    root (`lfa_qual` itself) holds only its `__init__`."""
    hits = [p for p in prefixes if module == p or ("." in p and module.startswith(p + "."))]
    return max(hits, key=len) if hits else None


def layer_of(module: str) -> int | None:
    everything = tuple(p for _, members in LAYERS for p in members)
    owner = _owner(module, everything)
    if owner is None:
        return None
    return next(i for i, (_, members) in enumerate(LAYERS) if owner in members)


def circles(graph: grimp.ImportGraph) -> list[list[str]]:
    """Strongly connected groups of two or more modules (Tarjan), each sorted."""
    modules = sorted(m for m in graph.modules if not graph.is_module_squashed(m))
    edges = {m: sorted(graph.find_modules_directly_imported_by(m)) for m in modules}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in edges.get(v, []):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for m in modules:
        if m not in index:
            visit(m)
    return sorted(found)


def violations(package: str = "lfa_qual") -> list[str]:
    """Every broken rule, as a sentence naming the modules (and the line) involved."""
    graph = grimp.build_graph(package, include_external_packages=True, cache_dir=None)
    internal = sorted(m for m in graph.modules if m == package or m.startswith(package + "."))
    problems = [f"import circle: {' ↔ '.join(group)}" for group in circles(graph)]
    for module in internal:
        layer = layer_of(module)
        if layer is None:
            problems.append(f"{module} is in no layer: add it to tests/layering.py")
            continue
        for imported in sorted(graph.find_modules_directly_imported_by(module)):
            top = imported.split(".")[0]
            if top in UI_PACKAGES and not module.startswith(UI_ALLOWED):
                problems.append(f"{module} imports {imported}: only the CLI and the TUI may")
            if top != package:
                continue
            target = layer_of(imported)
            if target is not None and target < layer:
                lines = graph.get_import_details(importer=module, imported=imported)
                where = ", ".join(str(d["line_number"]) for d in lines)
                problems.append(
                    f"{module} (layer {LAYERS[layer][0]!r}) imports {imported} "
                    f"(layer {LAYERS[target][0]!r}, above it) at line {where}"
                )
    return problems
