"""The package's folders are the stages of the pipeline, and each layer imports only the
layers below it: the legal reasoning knows nothing of clauses or Word, the clause library
nothing of Word, and nothing below the command line knows the interview or the batch."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "generator"

# Lowest first. A module's layer is the first entry its dotted name starts with.
LAYERS = (
    ("generator", "generator.errors", "generator.resources"),
    ("generator.answers",),
    ("generator.legal",),
    ("generator.library",),
    ("generator.word",),
    ("generator.exports",),  # files beside a .docx, dated as the .docx
    ("generator.review",),  # a vendor's DPA read, judged, annotated
    ("generator.pipeline",),
    ("generator.batch",),
    ("generator.interview",),
    ("generator.cli", "generator.__main__"),
)


def _layer(module: str) -> int:
    best = -1, 0  # (layer, length of the matching prefix): the longest prefix wins
    for index, names in enumerate(LAYERS):
        for name in names:
            if (module == name or module.startswith(name + ".")) and len(name) > best[1]:
                best = index, len(name)
    assert best[0] >= 0, f"{module} is in no layer: add it to LAYERS"
    return best[0]


def _module_name(file: Path) -> str:
    parts = file.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(file: Path) -> set[str]:
    """Every module of the package `file` imports, at the top or inside a function."""
    module = _module_name(file)
    package = module if file.name == "__init__.py" else module.rsplit(".", 1)[0]
    found = set()
    for node in ast.walk(ast.parse(file.read_text("utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join([*base, *([node.module] if node.module else [])])
            else:
                target = node.module or ""
            names = [f"{target}.{a.name}" for a in node.names]
            found |= {n for n in [target, *names] if _is_module(n)}
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names if _is_module(a.name)}
    return found


def _is_module(name: str) -> bool:
    if name != "generator" and not name.startswith("generator."):
        return False
    path = PACKAGE.parent.joinpath(*name.split("."))
    return path.with_suffix(".py").exists() or (path / "__init__.py").exists()


def test_each_layer_imports_only_the_layers_below_it() -> None:
    wrong = []
    for file in sorted(PACKAGE.rglob("*.py")):
        if "_data" in file.parts:
            continue
        module = _module_name(file)
        for target in sorted(_imports(file)):
            if _layer(target) > _layer(module):
                wrong.append(f"{module} imports {target}")
    assert not wrong, "\n".join(wrong)


def test_the_legal_layer_holds_no_words() -> None:
    """Findings are codes and values; their words are the clause library's. The legal layer
    may name a language (the edition a rule is about), never pick words in one."""
    for file in (PACKAGE / "legal").glob("*.py"):
        text = file.read_text("utf-8")
        for wording in (".in_(", ".pick(", "label(", "..library", "Wording", "Messages"):
            assert wording not in text, f"{file.name} words something: {wording}"
