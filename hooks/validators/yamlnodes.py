"""YAML documents as plain data plus the line of every key, for messages that point at it.

PyYAML's composer keeps each node's position; building the data from the nodes ourselves lets
us record ``path -> line`` (a path is a tuple of keys and list indexes) and catch what
``kubectl`` refuses but ``yaml.safe_load`` silently accepts: duplicate keys.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

import yaml

from hooks.validators.base import Problem

Path = tuple[str | int, ...]
_MERGE = "tag:yaml.org,2002:merge"


class _Loader(yaml.SafeLoader):
    """Safe loading as kubectl reads YAML: timestamps stay strings (Kubernetes fields are
    strings, not dates), and ``\\'`` inside double quotes is an apostrophe, as in go-yaml
    (``scannerc.go`` accepts the escape, like libyaml; PyYAML's scanner alone refuses it).
    Extending the scanner's escape table changes nothing else, line numbers included."""

    ESCAPE_REPLACEMENTS: ClassVar[dict[str, str]] = {
        **yaml.SafeLoader.ESCAPE_REPLACEMENTS,
        "'": "'",
    }


_Loader.add_constructor(
    "tag:yaml.org,2002:timestamp", lambda loader, node: loader.construct_scalar(node)
)


@dataclass
class Document:
    data: Any
    start: int  # 1-based line of the document's first node within the block
    lines: dict[Path, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def line(self, path: Path) -> int:
        """The line of ``path``'s key (or list item); the nearest recorded ancestor otherwise."""
        path = tuple(path)
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.start


#: Nodes one document may expand to through aliases ("billion laughs" stops here, as in kubectl).
MAX_NODES = 100_000


class _Builder:
    def __init__(self, document: Document) -> None:
        self.doc = document
        self.loader = _Loader("")
        self.active: set[int] = set()
        self.count = 0

    def build(self, node: yaml.Node, path: Path) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise yaml.YAMLError(f"more than {MAX_NODES} nodes once aliases are expanded")
        if id(node) in self.active:
            mark = node.start_mark
            raise yaml.MarkedYAMLError(
                problem="an alias refers to a node that contains it (recursive structure)",
                problem_mark=mark,
            )
        if isinstance(node, yaml.MappingNode):
            self.active.add(id(node))
            try:
                return self._mapping(node, path)
            finally:
                self.active.discard(id(node))
        if isinstance(node, yaml.SequenceNode):
            self.active.add(id(node))
            try:
                items = []
                for index, item in enumerate(node.value):
                    self.doc.lines.setdefault((*path, index), item.start_mark.line + 1)
                    items.append(self.build(item, (*path, index)))
                return items
            finally:
                self.active.discard(id(node))
        return self.loader.construct_object(node, deep=True)

    def _mapping(self, node: yaml.MappingNode, path: Path) -> dict[str, Any]:
        result: dict[str, Any] = {}
        merged: dict[str, Any] = {}
        first_seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE:
                sources = (
                    value_node.value if isinstance(value_node, yaml.SequenceNode) else [value_node]
                )
                for source in sources:
                    value = self.build(source, path)
                    if isinstance(value, dict):
                        for k, v in value.items():
                            merged.setdefault(k, v)
                continue
            raw_key = self.build(key_node, path)
            key = raw_key if isinstance(raw_key, str) else _json_key(raw_key)
            line = key_node.start_mark.line + 1
            if key in first_seen:
                self.doc.problems.append(
                    Problem(line, f'duplicate key "{key}" (first at line {first_seen[key]})')
                )
            first_seen.setdefault(key, line)
            self.doc.lines[(*path, key)] = line
            result[key] = self.build(value_node, (*path, key))
        for k, v in merged.items():
            result.setdefault(k, v)
        return result


def _json_key(key: Any) -> str:
    if isinstance(key, bool):
        return "true" if key else "false"
    return "null" if key is None else str(key)


#: libyaml's parser, five to ten times faster than PyYAML's own; None without libyaml.
_FAST = getattr(yaml, "CSafeLoader", None)


def _nodes(text: str) -> list[yaml.Node] | None:
    """The documents' nodes from libyaml, or None when the pure-Python parser must decide:
    libyaml refuses go-yaml's ``\\'`` escape, and its error messages differ from the ones
    this module reports (PyYAML's, with line and context)."""
    if _FAST is None or "\\'" in text:
        return None
    try:
        return list(yaml.compose_all(text, Loader=_FAST))
    except yaml.YAMLError:
        return None


def load_documents(text: str) -> tuple[list[Document], list[Problem]]:
    """Every non-empty document of a multi-document stream; syntax errors as problems."""
    documents: list[Document] = []
    problems: list[Problem] = []
    fast = _nodes(text)
    try:
        for node in fast if fast is not None else yaml.compose_all(text, Loader=_Loader):
            if node is None:
                continue
            document = Document(data=None, start=node.start_mark.line + 1)
            try:
                document.data = _Builder(document).build(node, ())
            except yaml.YAMLError as exc:
                problems.append(_problem(exc, "YAML"))
                continue
            if document.data is not None:
                documents.append(document)
    except yaml.YAMLError as exc:
        problems.append(_problem(exc, "YAML syntax error"))
    return documents, problems


def _problem(exc: yaml.YAMLError, prefix: str) -> Problem:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line = mark.line + 1 if mark is not None else 1
    problem = getattr(exc, "problem", None) or str(exc)
    context = getattr(exc, "context", None)
    message = f"{context}, {problem}" if context else problem
    return Problem(line, f"{prefix}: {message}")
