"""Plain HTTP calls to a running fake ATS server, for the tests of the fake itself."""

from __future__ import annotations

import json
import urllib.request
from typing import Any
from urllib.error import HTTPError


def fetch(url: str, headers: dict[str, str] | None = None) -> tuple[int, Any, bytes]:
    """(status, headers, body) without raising on 4xx/5xx."""
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.headers, response.read()
    except HTTPError as error:
        with error:
            return error.code, error.headers, error.read()


def get_json(url: str, headers: dict[str, str] | None = None) -> Any:
    status, _, body = fetch(url, headers)
    assert status == 200, body[:300]
    return json.loads(body)


def call(url: str, method: str = "GET", data: Any = None) -> tuple[int, Any]:
    """Admin API call with an optional JSON body; returns (status, decoded JSON)."""
    body = None if data is None else json.dumps(data).encode()
    request = urllib.request.Request(url, data=body, method=method)
    request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read())
    except HTTPError as error:
        with error:
            return error.code, json.loads(error.read())
