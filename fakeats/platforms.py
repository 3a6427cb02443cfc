"""The fake of every platform in jobcrawler's registry: `fakeats/<name>.py`'s `FAKE`.

To add an ATS: write `fakeats/<name>.py` with a `Platform` subclass (routes, id scheme,
error shapes) and `FAKE = <Class>()`; the platform's declaration in
`jobcrawler/platforms/<name>.py` makes it part of the registry, and so of this one.
"""

from __future__ import annotations

from importlib import import_module

from jobcrawler.platforms import PLATFORMS as DECLARED

from .base import Platform


def _fake(name: str) -> Platform:
    fake = getattr(import_module(f"{__package__}.{name}"), "FAKE", None)
    if not isinstance(fake, Platform) or fake.name != name:
        raise ImportError(f"fakeats/{name}.py must define FAKE, a Platform named {name!r}")
    return fake


PLATFORMS: dict[str, Platform] = {name: _fake(name) for name in DECLARED}


def get_platform(name: str) -> Platform:
    """The renderer for `name`; ValueError names the known platforms."""
    try:
        return PLATFORMS[name]
    except KeyError:
        raise ValueError(f"unknown platform {name!r}; known: {', '.join(PLATFORMS)}") from None
