"""The platform registry: every module of this package that declares `PLATFORM`.

Adding a platform is adding its module here (and its spider, fake route and tests); the
catalog, the finder, the host pace, the spider loader and the README's table read this
registry. Order: the ATSs by name, then the generic careers-site readers.
"""

from __future__ import annotations

import pkgutil
from importlib import import_module

from jobcrawler.platforms.base import Platform


def _discover() -> dict[str, Platform]:
    found: list[Platform] = []
    for module in pkgutil.iter_modules(__path__):
        declared = getattr(import_module(f"{__name__}.{module.name}"), "PLATFORM", None)
        if isinstance(declared, Platform):
            if declared.name != module.name:
                raise ImportError(f"{module.name}.py declares platform {declared.name!r}")
            found.append(declared)
    return {p.name: p for p in sorted(found, key=lambda p: (p.generic, p.name))}


#: Every platform, by its `ats` name.
PLATFORMS: dict[str, Platform] = _discover()


def get(name: str) -> Platform:
    """The platform `name`; KeyError names the known ones."""
    try:
        return PLATFORMS[name]
    except KeyError:
        raise KeyError(f"unknown ATS {name!r} (expected one of: {', '.join(PLATFORMS)})") from None
