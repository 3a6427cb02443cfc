"""YAML to plain data that remembers the line of every mapping, key and list item.

Catalog errors must name the line, which PyYAML only gives through its node graph, and
composing nodes costs most of the load time of a large catalog (10,000 companies: about
0.8 s of 1 s). Building the data straight from the C parser's events keeps the lines at a
fraction of the cost. Scalars resolve exactly as with `yaml.safe_load` (YAML 1.1: `no` is
false), as do anchors, aliases and `<<` merge keys.

Aliases are shared, never copied, but whatever later walks the data (validation, error
messages, Scrapy's settings) expands them: a "billion laughs" file of a few hundred bytes
stands for 9**9 nodes. So the nodes aliases stand for are counted as they are read, and a
document past `MAX_ALIAS_NODES` is refused at the alias that crosses it. A long scalar
counts one node per `CHARS_PER_NODE` characters, so aliasing one 1 MB string 10,000 times
is refused too.
"""

from __future__ import annotations

from typing import Any

import yaml
from yaml import events

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_STR = "tag:yaml.org,2002:str"
_MERGE = "tag:yaml.org,2002:merge"

#: Nodes (scalars, mappings, sequences) all the aliases of one document may stand for.
MAX_ALIAS_NODES = 10_000
CHARS_PER_NODE = 80


class AliasLimitError(yaml.MarkedYAMLError):
    """Aliases that expand past `MAX_ALIAS_NODES`, or an alias of its own enclosing node."""


class LinedDict(dict[Any, Any]):
    """A mapping with `line`, `key_lines` ({key: line}) and keys given twice (`repeated`)."""

    def __init__(self, line: int) -> None:
        super().__init__()
        self.line = line
        self.key_lines: dict[Any, int] = {}
        self.repeated: list[tuple[Any, int]] = []


class LinedList(list[Any]):
    """A sequence with the line of each item (`item_lines`)."""

    def __init__(self, line: int) -> None:
        super().__init__()
        self.line = line
        self.item_lines: list[int] = []


class _Builder:
    def __init__(self) -> None:
        self.loader = _Loader("")  # resolves and constructs scalars the safe_load way
        self.anchors: dict[str, Any] = {}
        self.anchor_nodes: dict[str, int] = {}  # nodes each finished anchor stands for
        self.alias_nodes = 0
        # open containers: [container, the mapping key waiting for its value or None,
        # nodes so far, anchor or None]
        self.stack: list[list[Any]] = []
        self.root: Any = None
        self.documents = 0

    def scalar(self, event: events.ScalarEvent) -> tuple[Any, str]:
        tag = event.tag
        if tag in (None, "!"):
            plain = event.implicit[0] and not event.style
            kind = yaml.ScalarNode
            tag = self.loader.resolve(kind, event.value, (True, False)) if plain else _STR
        if tag in (_STR, _MERGE):
            return event.value, tag
        node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style)
        return self.loader.construct_object(node, deep=True), tag

    def add(self, value: Any, line: int, tag: str | None = None, nodes: int = 1) -> None:
        if not self.stack:
            self.root = value
            return
        top = self.stack[-1]
        top[2] += nodes
        container = top[0]
        if isinstance(container, LinedList):
            container.append(value)
            container.item_lines.append(line)
        elif top[1] is None:
            top[1] = (value, tag)
            if tag == _MERGE:
                return
            if value in container.key_lines:
                container.repeated.append((value, line))
            container.key_lines[value] = line
        else:
            key, key_tag = top[1]
            top[1] = None
            if key_tag == _MERGE:
                for source in value if isinstance(value, list) else [value]:
                    for merged_key, merged_value in source.items():
                        container.setdefault(merged_key, merged_value)
            else:
                container[key] = value

    def alias(self, event: events.AliasEvent) -> int:
        """The nodes the alias stands for, once the document's total allows them."""
        if event.anchor not in self.anchors:
            problem = f"found undefined alias *{event.anchor}"
            raise yaml.composer.ComposerError(None, None, problem, event.start_mark)
        nodes = self.anchor_nodes.get(event.anchor)
        if nodes is None:
            problem = f"alias *{event.anchor} refers to its own enclosing node"
            raise AliasLimitError(None, None, problem, event.start_mark)
        self.alias_nodes += nodes
        if self.alias_nodes > MAX_ALIAS_NODES:
            raise AliasLimitError(
                None,
                None,
                f"aliases expand to more than {MAX_ALIAS_NODES:,} nodes",
                event.start_mark,
            )
        return nodes

    def feed(self, event: events.Event) -> None:
        line = event.start_mark.line + 1
        anchor = getattr(event, "anchor", None)
        if isinstance(event, events.ScalarEvent):
            value, tag = self.scalar(event)
            nodes = 1 + len(event.value) // CHARS_PER_NODE
            if anchor:
                self.anchors[anchor], self.anchor_nodes[anchor] = value, nodes
            self.add(value, line, tag, nodes=nodes)
        elif isinstance(event, events.AliasEvent):
            nodes = self.alias(event)
            self.add(self.anchors[event.anchor], line, nodes=nodes)
        elif isinstance(event, events.MappingStartEvent | events.SequenceStartEvent):
            container: Any = (
                LinedDict(line) if isinstance(event, events.MappingStartEvent) else LinedList(line)
            )
            if anchor:
                self.anchors[anchor] = container
                self.anchor_nodes.pop(anchor, None)  # known once the container ends
            self.add(container, line)
            self.stack.append([container, None, 1, anchor])
        elif isinstance(event, events.MappingEndEvent | events.SequenceEndEvent):
            _, _, nodes, anchor = self.stack.pop()
            if anchor:
                self.anchor_nodes[anchor] = nodes
            if self.stack:
                self.stack[-1][2] += nodes - 1  # the container itself was counted by add()
        elif isinstance(event, events.DocumentStartEvent):
            self.documents += 1
            if self.documents > 1:
                raise yaml.composer.ComposerError(
                    "expected a single document in the stream",
                    None,
                    "but found another document",
                    event.start_mark,
                )


def load(text: str) -> Any:
    """The single document in `text` (None when empty); raises `yaml.YAMLError`."""
    builder = _Builder()
    try:
        for event in yaml.parse(text, Loader=_Loader):
            builder.feed(event)
    finally:
        builder.loader.dispose()
    return builder.root
