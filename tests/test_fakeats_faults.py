"""The `malformed_entry` fault: one broken entry in an otherwise normal JSON listing."""

from __future__ import annotations

import json

import pytest

from fakeats.base import Response, dumps
from fakeats.faults import make_fault, respond

BOARD = {"jobs": [{"id": 1}, {"id": 2}, {"id": 3}], "meta": {"total": 3}}


def served(body: bytes, **options: object) -> bytes:
    fault = make_fault("malformed_entry", None, None, **options)
    return respond(fault, lambda empty: Response(200, body)).body


def test_a_field_of_the_wrong_type():
    data = json.loads(served(dumps(BOARD), entry=1, field="departments", value=7))
    assert data["jobs"] == [{"id": 1}, {"id": 2, "departments": 7}, {"id": 3}]
    assert data["meta"] == {"total": 3}


def test_a_null_entry_in_a_top_level_list():
    assert json.loads(served(dumps([{"id": "a"}, {"id": "b"}]))) == [{"id": "a"}, None]


@pytest.mark.parametrize("body", [b"<rss><channel/></rss>", dumps({"jobs": []})])
def test_listings_without_such_an_entry_are_served_as_they_are(body):
    assert served(body, entry=0) == body


def test_unknown_options_are_refused():
    with pytest.raises(ValueError, match="takes no option"):
        make_fault("malformed_entry", None, None, index=1)
