"""Offline fake of the public ATS job-board APIs, for tests, `make demo` and `make bench`.

Boards are generated deterministically from a seed and served with the real routes,
field names, paging rules and quirks of each platform; faults and mutations let tests
replay the failures and changes crawlers meet in production. Production code never
imports this package.
"""

from .boards import Board
from .postings import Posting
from .server import FakeATS, LoggedRequest

__all__ = ["Board", "FakeATS", "LoggedRequest", "Posting"]
