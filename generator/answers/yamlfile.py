"""Reading YAML files safely, remembering where each value came from.

Every user error must name the file, the line and the field, so the loader keeps a map from
each path in the document (("parties", 0, "name")) to its line number.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ..errors import InputError
from ..i18n import translator


# The C loader and emitter are an order of magnitude faster; fall back to pure Python where
# libyaml is absent.
class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """Safe loader that reads an impossible date (2027-13-01) as the text it is, so the answers
    model says at which line and field it is wrong instead of the parser failing."""


def _timestamp(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> object:
    try:
        return loader.construct_yaml_timestamp(node)
    except ValueError:
        return loader.construct_scalar(node)


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp)


class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # type: ignore[misc]
    """Safe dumper that keeps every character of every string through a round trip."""


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    # YAML reads U+0085, U+2028 and U+2029 as line breaks; the pure-Python emitter writes them
    # raw in plain and single-quoted scalars, so they come back as spaces. Double quotes
    # escape them.
    style = '"' if any(c in value for c in "\x85\u2028\u2029") else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)

MAX_BYTES = 2_000_000
MAX_VALUES = 100_000  # an answers file holds a few thousand; aliases can make billions

PathKey = tuple[str | int, ...]


@dataclass(frozen=True)
class Located:
    """A parsed YAML document and the line (1-based) of every key and list item in it."""

    data: Any
    lines: dict[PathKey, int]
    file: str

    def line_of(self, path: PathKey) -> int | None:
        """The line of `path`, or of its closest ancestor present in the file."""
        for end in range(len(path), -1, -1):
            line = self.lines.get(path[:end])
            if line is not None:
                return line
        return None


def format_path(path: PathKey) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


def read_text(file: str | Path, language: str = "en") -> str:
    """A UTF-8 text file the user gave us, refused with a clear message (in `language`, the
    interface's) when it is unreadable, too large or not UTF-8."""
    _ = translator(language)
    path = Path(file)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        message = _("cannot read the file ({reason})").format(reason=exc.strerror)
        raise InputError(path, None, None, message) from None
    if len(raw) > MAX_BYTES:
        message = _("the file is larger than {size} bytes").format(size=MAX_BYTES)
        raise InputError(path, None, None, message)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        message = _("not UTF-8 text (byte {position})").format(position=exc.start)
        raise InputError(path, None, None, message) from None


def read_yaml(file: str | Path, language: str = "en") -> Located:
    """Parse one YAML document; raise InputError for anything unreadable or malformed."""
    return parse_yaml(read_text(file, language), Path(file), language)


def dump_yaml(data: Any, width: int = 80) -> str:
    """`data` as block-style YAML, in the order given, non-ASCII text written as is."""
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=width)


def parse_yaml(text: str, file: str | Path, language: str = "en") -> Located:
    _ = translator(language)
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            raise InputError(file, 1, None, _("the file is empty"))
        lines: dict[PathKey, int] = {(): node.start_mark.line + 1}
        _index(node, (), lines, file, [MAX_VALUES], _)
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        problem = exc.problem or exc.context
        message = (
            _("malformed YAML: {problem}").format(problem=problem)
            if problem
            else _("malformed YAML")
        )
        raise InputError(file, line, None, message) from None
    except yaml.YAMLError as exc:
        message = _("malformed YAML: {problem}").format(problem=exc)
        raise InputError(file, None, None, message) from None
    finally:
        loader.dispose()
    return Located(data, lines, str(file))


def _index(
    node: yaml.Node,
    path: PathKey,
    lines: dict[PathKey, int],
    file: str | Path,
    budget: list[int],
    _: Callable[[str], str],
) -> None:
    """Record the line of every mapping key and sequence item; refuse duplicate keys, and
    documents whose aliases expand to more values than any answers file holds."""
    budget[0] -= 1
    if budget[0] < 0:
        raise InputError(
            file,
            node.start_mark.line + 1,
            format_path(path) or None,
            _("more than {count} values once aliases are expanded").format(count=MAX_VALUES),
        )
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key_node, value_node in node.value:
            key = str(key_node.value)
            child = (*path, key)
            if key in seen:
                raise InputError(
                    file, key_node.start_mark.line + 1, format_path(child), _("duplicate key")
                )
            seen.add(key)
            lines[child] = key_node.start_mark.line + 1
            _index(value_node, child, lines, file, budget, _)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            child = (*path, i)
            lines[child] = item.start_mark.line + 1
            _index(item, child, lines, file, budget, _)
