"""Reading an importer's sources: text with file:line errors, YAML with limits (issue 11), JSON.

A hostile YAML file is refused with one line naming the file and line: more than YAML_MAX_BYTES, an
alias bomb (aliases expanding past YAML_MAX_NODES nodes), a key given twice in one mapping (never
silently merged), nesting deeper than Python's recursion allows, text that is not UTF-8. A JSON file
(a bill of materials, the MOF tool's lists) is refused the same way, and nested deeper than the graph
guard's limit before it is parsed.
"""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from ..errors import OpennessError
from ..graph.guards import check_json_depth

class _NoDatesLoader(yaml.SafeLoader):
    """SafeLoader that keeps dates as written (a release date '2024-10' and '2024-10-05' alike)."""


_NoDatesLoader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:timestamp"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


# Limits of one YAML source: a catalogue record or a card's front matter is a few kilobytes.
YAML_MAX_BYTES = 4 * 1024 * 1024
# Nodes a document may hold once its aliases are expanded (an alias bomb of ~700 bytes expands to
# billions): a record of the EOSAI index has a few hundred.
YAML_MAX_NODES = 100_000


def _expanded_size(root: yaml.Node, path: Path) -> int:
    """How many nodes the document holds with every alias expanded (iteratively: no recursion limit)."""
    sizes: dict[int, int] = {}
    active: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        key = id(node)
        if done:
            children = _children(node)
            sizes[key] = 1 + sum(sizes[id(c)] for c in children)
            active.discard(key)
            if sizes[key] > YAML_MAX_NODES:
                raise OpennessError(f"{path}:{node.start_mark.line + 1}: YAML expands to more than "
                                    f"{YAML_MAX_NODES:,} nodes through its aliases (an alias bomb?); refused")
            continue
        if key in sizes:
            continue
        if key in active:
            raise OpennessError(f"{path}:{node.start_mark.line + 1}: YAML alias refers to itself; refused")
        active.add(key)
        stack.append((node, True))
        stack.extend((c, False) for c in _children(node) if id(c) not in sizes)
    return sizes[id(root)]


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    return []


class _StrictLoader(_NoDatesLoader):
    """_NoDatesLoader that refuses alias bombs and duplicate keys (never silently merged)."""

    source_path = Path("<yaml>")

    def compose_document(self):  # type: ignore[override]
        node = super().compose_document()
        if node is not None:
            _expanded_size(node, self.source_path)
        return node

    def construct_mapping(self, node, deep=False):  # type: ignore[override]
        seen: dict[object, int] = {}
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                continue    # keys merged with `<<` may be overridden: that is what merging means
            key = self.construct_object(key_node, deep=True)
            try:
                hash(key)
            except TypeError:
                continue    # SafeConstructor reports an unhashable key itself
            line = key_node.start_mark.line + 1
            if key in seen:
                raise OpennessError(f"{self.source_path}:{line}: duplicate key {key!r} "
                                    f"(first on line {seen[key]})")
            seen[key] = line
        return super().construct_mapping(node, deep=deep)


def read_text(path: Path, limit: int = YAML_MAX_BYTES) -> str:
    """A source file as text: unreadable, too large or non-UTF-8 is an OpennessError naming the file.

    A UTF-8 byte-order mark is dropped (editors on Windows write one)."""
    try:
        with open(path, "rb") as fh:
            data = fh.read(limit + 1)
    except OSError as exc:
        raise OpennessError(f"{path}: cannot read: {exc.strerror}") from None
    if len(data) > limit:
        raise OpennessError(f"{path}: larger than {limit // (1024 * 1024)} MB; refused")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise OpennessError(f"{path}:{line}: not UTF-8 text (byte {exc.start})") from None


def read_yaml(path: Path, text: str | None = None) -> object:
    """Parse a YAML file; malformed YAML is an OpennessError naming the file and line.

    Refused too: more than YAML_MAX_BYTES, aliases expanding past YAML_MAX_NODES nodes, a key given
    twice in one mapping, nesting deeper than Python's recursion allows."""
    text = read_text(path) if text is None else text
    if len(text) > YAML_MAX_BYTES:
        raise OpennessError(f"{path}: YAML larger than {YAML_MAX_BYTES // (1024 * 1024)} MB; refused")
    loader = _StrictLoader(text)
    loader.source_path = path
    try:
        return loader.get_single_data()
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        where = f"{path}:{mark.line + 1}" if mark is not None else str(path)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise OpennessError(f"{where}: malformed YAML: {problem}") from None
    except RecursionError:
        raise OpennessError(f"{path}: YAML nested too deeply; refused") from None
    finally:
        loader.dispose()




def read_json(path: Path, what: str = "") -> object:
    """A JSON file; unreadable, non-UTF-8, nested beyond the guard's depth or malformed JSON is an
    OpennessError naming the file (and the line where known), `what` saying what the file was for."""
    path = Path(path)
    about = f" {what}" if what else ""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise OpennessError(f"{path}: cannot read{about}: {exc.strerror}") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise OpennessError(f"{path}:{line}: cannot read{about}: not UTF-8 text (byte {exc.start})") from None
    check_json_depth(path, data)  # nesting beyond a sane depth is refused before parsing
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise OpennessError(f"{path}:{exc.lineno}: malformed JSON: {exc.msg}") from None
    except RecursionError:
        raise OpennessError(f"{path}: JSON nested too deeply; refused") from None
