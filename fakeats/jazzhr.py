"""JazzHR public job feed (`app.jazz.co/feeds/export/jobs/{company}`).

Quirks reproduced: one `<jobs>` document (a `<publisher>JazzHR</publisher>` header, then
`<job>` elements) with no paging or total; every field CDATA-wrapped; ids
`job_YYYYMMDDHHMMSS_RANDOM` whose digits are the posting time; `url` on plain `http://`
(`{company}.applytojob.com/apply/{code}/{slug}`); `city`/`state`/`country`/`postalcode`
blank on some jobs (remote ones: city "Remote"); `type` in JazzHR's words ("Full Time",
"Contractor"); `original_open_date` missing on some jobs; no salary field (pay is prose
in the description); unknown boards answer an empty `<jobs/>`, as the real feed does for
tenants that syndicate nothing.
"""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Sequence

from .base import Platform, Request, Response, Route
from .boards import Board
from .postings import BASE_EPOCH_MS, DAY_MS, Posting
from .xmlfeeds import DECLARATION, cdata, headed_description

XML_TYPE = "application/xml; charset=utf-8"
TYPES = {
    "full_time": "Full Time",
    "part_time": "Part Time",
    "contract": "Contractor",
    "intern": "Internship",
    "temporary": "Temporary",
}
HEADER = "<jobs><publisher>JazzHR</publisher><publisherurl>https://www.jazzhr.com</publisherurl>"


def _field(tag: str, text: str | None) -> str:
    return f"<{tag}>{cdata(text)}</{tag}>" if text else f"<{tag}/>"


class JazzHR(Platform):
    name = "jazzhr"

    def routes(self) -> Sequence[Route]:
        return (Route("/feeds/export/jobs/{token}", "list", self.feed),)

    def external_id(self, seed: int, index: int) -> str:
        """`job_` + a posting time + 16 random capitals, like JazzHR's ids."""
        digest = hashlib.blake2b(f"jazzhr/{seed}/{index}".encode(), digest_size=16).digest()
        ms = BASE_EPOCH_MS + int.from_bytes(digest[:4], "big") % (300 * DAY_MS // 1000) * 1000
        stamp = time.strftime("%Y%m%d%H%M%S", time.gmtime(ms // 1000))
        return f"job_{stamp}_{''.join(chr(65 + b % 26) for b in digest[4:])}"

    def not_found(self, request: Request, kind: str) -> Response:
        return Response(200, (DECLARATION + "<jobs/>").encode(), XML_TYPE)

    def feed(self, request: Request, board: Board) -> Response:
        if request.empty:
            return Response(200, (DECLARATION + HEADER + "</jobs>").encode(), XML_TYPE)

        def render(postings: list[Posting]) -> bytes:
            jobs = "".join(self.job(p, board.token) for p in postings)
            return (DECLARATION + HEADER + jobs + "</jobs>").encode()

        return Response(200, board.render_cached("feed", render), XML_TYPE)

    def job(self, p: Posting, token: str) -> str:
        code = hashlib.blake2b(p.external_id.encode(), digest_size=5).hexdigest()
        slug = re.sub(r"[^a-z0-9]+", "-", p.title.lower()).strip("-")
        place = p.place
        remote = p.workplace == "remote"
        opened = p.external_id[4:12]
        fields = [
            _field("id", p.external_id),
            _field("status", "Open"),
            _field("title", p.title),
            _field("department", p.department if p.variant % 7 else None),
            _field("url", f"http://{token}.applytojob.com/apply/{code}/{slug}"),
            _field("city", "Remote" if remote else place.city),
            _field("state", place.region),
            _field("country", None if p.variant % 4 == 0 else place.country),
            _field("postalcode", None),
            _field("type", TYPES[p.employment]),
            _field("experience", "Entry Level" if p.employment == "intern" else "Experienced"),
            _field("buttons", f'<a href="http://{token}.applytojob.com/apply/{code}">Apply</a>'),
            _field("description", headed_description(p)),
        ]
        if p.variant % 3:
            fields.append(_field("original_open_date", f"{opened[:4]}-{opened[4:6]}-{opened[6:]}"))
        return "<job>" + "".join(fields) + "</job>"


FAKE = JazzHR()
