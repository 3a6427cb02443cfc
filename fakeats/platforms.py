"""Registry of platform renderers, keyed by platform name.

To add an ATS: write one module with a `Platform` subclass (routes, id scheme, error
shapes) and list an instance here.
"""

from __future__ import annotations

from .ashby import Ashby
from .bamboohr import BambooHR
from .base import Platform
from .breezy import Breezy
from .comeet import Comeet
from .greenhouse import Greenhouse
from .lever import Lever
from .personio import Personio
from .recruitee import Recruitee
from .sites import HtmlSite, JsonLdSite
from .smartrecruiters import SmartRecruiters
from .teamtailor import Teamtailor
from .workable import Workable
from .workday import Workday

PLATFORMS: dict[str, Platform] = {
    p.name: p
    for p in (
        Greenhouse(),
        Lever(),
        Ashby(),
        Recruitee(),
        Breezy(),
        Comeet(),
        Workable(),
        Personio(),
        Teamtailor(),
        SmartRecruiters(),
        Workday(),
        BambooHR(),
        JsonLdSite(),
        HtmlSite(),
    )
}


def get_platform(name: str) -> Platform:
    """The renderer for `name`; ValueError names the known platforms."""
    try:
        return PLATFORMS[name]
    except KeyError:
        raise ValueError(f"unknown platform {name!r}; known: {', '.join(PLATFORMS)}") from None
