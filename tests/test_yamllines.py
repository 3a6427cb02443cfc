"""yamllines: the same data as yaml.safe_load, plus the lines catalog errors name."""

import time

import pytest
import yaml

from jobcrawler import yamllines

SAME_AS_SAFE_LOAD = [
    "name: A\nactive: no\npriority: 3\nratio: 0.5\nwhen: 2026-01-01\nnothing: ~\n",
    "- {name: A, tags: [x, 'y', 1]}\n- name: B\n  settings:\n    ROBOTSTXT_OBEY: false\n",
    "base: &base\n  ats: lever\n  active: true\nc:\n  <<: *base\n  name: C\n  ats: ashby\n",
    "quoted: 'true'\nexplicit: !!str 12\nfolded: >\n  two\n  lines\nint_key: {1: one}\n",
    "",
    "# only a comment\n",
]


@pytest.mark.parametrize("text", SAME_AS_SAFE_LOAD)
def test_same_data_as_safe_load(text):
    assert yamllines.load(text) == yaml.safe_load(text)


def test_lines_of_mappings_keys_and_items():
    root = yamllines.load("- name: A\n  ats: lever\n\n- name: B\n  board: b\n")
    assert root.item_lines == [1, 4]
    assert (root[1].line, root[1].key_lines) == (4, {"name": 4, "board": 5})


def test_repeated_keys_are_recorded():
    root = yamllines.load("name: A\nboard: a\nboard: b\n")
    assert root["board"] == "b" and root.repeated == [("board", 3)]


@pytest.mark.parametrize("text", ["a: [1\n", "a: 1\n---\nb: 2\n"])
def test_invalid_yaml_raises_with_a_mark(text):
    with pytest.raises(yaml.MarkedYAMLError) as excinfo:
        yamllines.load(text)
    assert excinfo.value.problem_mark is not None


def laughs(levels: int, width: int = 9) -> str:
    """The "billion laughs" bomb: each level aliases the one below `width` times."""
    lines = ['a0: &a0 "lol"']
    for level in range(1, levels + 1):
        lines.append(f"a{level}: &a{level} [{', '.join([f'*a{level - 1}'] * width)}]")
    return "\n".join(lines) + "\n"


def test_billion_laughs_is_refused_at_the_alias_that_crosses_the_bound():
    started = time.perf_counter()
    with pytest.raises(yamllines.AliasLimitError) as excinfo:
        yamllines.load(laughs(9))
    assert time.perf_counter() - started < 2  # sanity only: the bound is on nodes
    # 9**4 nodes fit in the bound; level 5 (line 6) crosses it
    assert excinfo.value.problem_mark.line + 1 == 6
    assert "10,000" in excinfo.value.problem


def test_aliases_count_the_nodes_they_stand_for():
    anchored = "a: &a [1, 2]\n"  # three nodes: the list and its two items
    fits = yamllines.MAX_ALIAS_NODES // 3
    assert len(yamllines.load(anchored + f"b: [{', '.join(['*a'] * fits)}]\n")["b"]) == fits
    with pytest.raises(yamllines.AliasLimitError):
        yamllines.load(anchored + f"b: [{', '.join(['*a'] * (fits + 1))}]\n")


def test_merge_keys_count_as_aliases():
    base = "base: &b {" + ", ".join(f"k{i}: {i}" for i in range(4_000)) + "}\n"  # 8,001 nodes
    assert len(yamllines.load(base + "c:\n  <<: *b\n")["c"]) == 4_000
    with pytest.raises(yamllines.AliasLimitError):
        yamllines.load(base + "c:\n  <<: *b\nd:\n  <<: *b\n")


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("a: &a [1, *a]\n", "refers to its own enclosing node"),
        ("a: &a {b: [*a]}\n", "refers to its own enclosing node"),
        ("a: 1\nb: *nowhere\n", "undefined alias"),
    ],
)
def test_recursive_and_undefined_aliases_are_yaml_errors(text, problem):
    with pytest.raises(yaml.MarkedYAMLError) as excinfo:
        yamllines.load(text)
    assert problem in excinfo.value.problem and excinfo.value.problem_mark is not None


def test_long_scalars_count_by_length():
    long = "x" * (yamllines.CHARS_PER_NODE * 5_000)  # 5,001 nodes
    assert yamllines.load(f"a: &a {long}\nb: *a\n")["b"] == long
    with pytest.raises(yamllines.AliasLimitError):
        yamllines.load(f"a: &a {long}\nb: [*a, *a]\n")
