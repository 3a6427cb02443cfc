"""yamllines: the same data as yaml.safe_load, plus the lines catalog errors name."""

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
