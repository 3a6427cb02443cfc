"""Registry of platform renderers, keyed by platform name.

To add an ATS: write one module with a `Platform` subclass (routes, id scheme, error
shapes) and list an instance here.
"""

from __future__ import annotations

from .ashby import Ashby
from .base import Platform
from .greenhouse import Greenhouse
from .lever import Lever

PLATFORMS: dict[str, Platform] = {p.name: p for p in (Greenhouse(), Lever(), Ashby())}


def get_platform(name: str) -> Platform:
    """The renderer for `name`; ValueError names the known platforms."""
    try:
        return PLATFORMS[name]
    except KeyError:
        raise ValueError(f"unknown platform {name!r}; known: {', '.join(PLATFORMS)}") from None
