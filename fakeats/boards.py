"""Board state: which postings are up, at which revision, plus faults and a render cache.

A board stores only indices and revisions; postings are generated on demand from
(seed, index, revision). Mutations draw from their own seeded stream, so the same
sequence of calls on the same board always picks the same postings.
"""

from __future__ import annotations

import bisect
import random
import threading
from collections.abc import Callable, Hashable, Iterable
from typing import Any, TypeVar

from . import postings
from .faults import Fault, make_fault
from .postings import Posting

T = TypeVar("T")

DEFAULT_DESCRIPTION_BYTES = 1500
MAX_SIZE = 100_000


class Board:
    """One company's board on one platform; thread-safe."""

    def __init__(
        self,
        platform: str,
        token: str,
        *,
        size: int,
        seed: int,
        external_id: Callable[[int, int], str],
        description_bytes: int = DEFAULT_DESCRIPTION_BYTES,
        serves_unlisted: bool = False,
        options: dict[str, Any] | None = None,
    ) -> None:
        if not 0 <= size <= MAX_SIZE:
            raise ValueError(f"size must be between 0 and {MAX_SIZE}")
        if description_bytes < 0:
            raise ValueError("description_bytes must be >= 0")
        self.platform = platform
        self.token = token
        self.seed = seed
        self.description_bytes = description_bytes
        self.serves_unlisted = serves_unlisted
        #: Platform-specific settings of this board (e.g. Workday's result `cap`).
        self.options: dict[str, Any] = dict(options or {})
        self.company = postings.company_name(token)
        self._external_id = external_id
        self._lock = threading.RLock()
        self._render_lock = threading.Lock()
        self._present: list[int] = list(range(size))  # sorted: board order is index order
        self._removed: set[int] = set()
        self._revisions: dict[int, int] = {}
        self._next_index = size
        self._mutations = 0
        self._version = 0
        self._faults: list[Fault] = []
        self._cache: dict[Hashable, tuple[int, Any]] = {}
        self._ids: list[str] = []  # external id by index, filled lazily
        self._index_of: dict[str, int] = {}

    def __repr__(self) -> str:
        return f"<Board {self.platform}:{self.token} {len(self._present)} postings>"

    def __len__(self) -> int:
        return len(self._present)

    # -- reading -------------------------------------------------------------------------

    def ids(self) -> list[str]:
        """External ids currently on the board, in board order."""
        with self._lock:
            self._fill_ids()
            return [self._ids[i] for i in self._present]

    def listed_ids(self) -> list[str]:
        """Ids a crawler should keep: on Ashby, the ids without `isListed: false`."""
        with self._lock:
            self._fill_ids()
            present = self._present
            if self.serves_unlisted:
                present = [i for i in present if postings.is_listed(i)]
            return [self._ids[i] for i in present]

    def postings(self) -> list[Posting]:
        """Current postings in board order (generated now; costly for huge boards)."""
        return self._generate(self._snapshot()[1])

    def posting(self, external_id: str) -> Posting | None:
        """The current posting with this id, or None if it is not on the board."""
        with self._lock:
            self._fill_ids()
            index = self._index_of.get(str(external_id))
            if index is None or index in self._removed or index >= self._next_index:
                return None
            return self._make(index, self._revisions.get(index, 0))

    def render_cached(self, key: Hashable, render: Callable[[list[Posting]], T]) -> T:
        """`render(postings)` computed once per board version and key.

        Concurrent first requests wait for one render instead of each doing it.
        """
        hit = self._cache.get(key)
        if hit is not None and hit[0] == self._version:
            return hit[1]
        with self._render_lock:
            version, entries = self._snapshot()
            hit = self._cache.get(key)
            if hit is not None and hit[0] == version:
                return hit[1]
            value = render(self._generate(entries))
            self._cache[key] = (version, value)
            return value

    # -- mutations -----------------------------------------------------------------------

    def remove(self, n: int) -> list[str]:
        """Take `n` postings off the board (deterministic choice); returns their ids."""
        with self._lock:
            chosen = sorted(self._pick(n, "remove"))
            for index in chosen:
                self._present.remove(index)
                self._removed.add(index)
            return self._bump(chosen)

    def change(self, n: int) -> list[str]:
        """Edit `n` postings (new title, description, updated date); returns their ids."""
        with self._lock:
            chosen = sorted(self._pick(n, "change"))
            for index in chosen:
                self._revisions[index] = self._revisions.get(index, 0) + 1
            return self._bump(chosen)

    def add(self, n: int) -> list[str]:
        """Append `n` new postings; returns their ids."""
        if n < 0:
            raise ValueError("n must be >= 0")
        with self._lock:
            if len(self._present) + n > MAX_SIZE:
                raise ValueError(f"a board holds at most {MAX_SIZE} postings")
            new = list(range(self._next_index, self._next_index + n))
            self._next_index += n
            self._present.extend(new)
            self._mutations += 1
            return self._bump(new)

    def restore(self, ids: Iterable[str]) -> list[str]:
        """Put removed postings back with their old id, position and content."""
        with self._lock:
            self._fill_ids()
            indices = []
            for external_id in ids:
                index = self._index_of.get(str(external_id))
                if index is None or index not in self._removed:
                    raise ValueError(f"{external_id!r} is not a removed posting of {self!r}")
                indices.append(index)
            for index in indices:
                self._removed.discard(index)
                bisect.insort(self._present, index)
            return self._bump(indices)

    # -- faults --------------------------------------------------------------------------

    def set_fault(
        self, kind: str, times: int | None = None, page: int | None = None, **options: Any
    ) -> None:
        """Make listing requests fail; the most recently set matching fault wins.

        `times`: only the next N matching requests (None: all). `page`: only that
        0-based listing page. Options: `retry_after` (http_429), `delay` (slow).
        """
        fault = make_fault(kind, times, page, **options)
        with self._lock:
            self._faults.append(fault)

    def clear_faults(self) -> None:
        with self._lock:
            self._faults.clear()

    def faults(self) -> list[dict[str, Any]]:
        with self._lock:
            return [f.to_dict() for f in self._faults]

    def take_fault(self, page: int) -> Fault | None:
        """The fault for a listing request of `page`, counting it against `times`."""
        with self._lock:
            for fault in reversed(self._faults):
                if fault.page is not None and fault.page != page:
                    continue
                if fault.remaining is None:
                    return fault
                if fault.remaining > 0:
                    fault.remaining -= 1
                    return fault
            return None

    # -- internals -----------------------------------------------------------------------

    def _pick(self, n: int, what: str) -> list[int]:
        if not 0 <= n <= len(self._present):
            raise ValueError(f"cannot {what} {n} of {len(self._present)} postings")
        self._mutations += 1
        rng = random.Random(f"{self.seed}/{self._mutations}/{what}")  # str seeds: stable
        return rng.sample(self._present, n)

    def _bump(self, indices: list[int]) -> list[str]:
        self._version += 1
        self._fill_ids()
        return [self._ids[i] for i in indices]

    def _fill_ids(self) -> None:
        for index in range(len(self._ids), self._next_index):
            external_id = self._external_id(self.seed, index)
            self._ids.append(external_id)
            self._index_of[external_id] = index

    def _snapshot(self) -> tuple[int, list[tuple[int, int]]]:
        with self._lock:
            self._fill_ids()
            revisions = self._revisions
            return self._version, [(i, revisions.get(i, 0)) for i in self._present]

    def _generate(self, entries: list[tuple[int, int]]) -> list[Posting]:
        return [self._make(index, revision) for index, revision in entries]

    def _make(self, index: int, revision: int) -> Posting:
        return postings.generate(
            seed=self.seed,
            index=index,
            revision=revision,
            external_id=self._ids[index],
            company=self.company,
            description_bytes=self.description_bytes,
        )
