"""The token that guards state-changing endpoints (reads are open).

Every endpoint that writes (the saved searches of `searches.py`) depends on `require_token`.
With no `JOBCRAWLER_API_TOKEN` set such endpoints refuse everyone: a server never writes
unguarded.
"""

from __future__ import annotations

import hmac
import os
from typing import Annotated

from fastapi import Depends, HTTPException, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

TOKEN_ENV = "JOBCRAWLER_API_TOKEN"
_bearer = HTTPBearer(auto_error=False)


def require_token(
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> None:
    """Pass only an `Authorization: Bearer <JOBCRAWLER_API_TOKEN>` request."""
    expected = os.environ.get(TOKEN_ENV)
    if not expected:
        raise HTTPException(status.HTTP_403_FORBIDDEN, f"{TOKEN_ENV} is not set on the server")
    given = credentials.credentials if credentials else ""
    if not hmac.compare_digest(given.encode(), expected.encode()):
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            "a valid bearer token is required",
            headers={"WWW-Authenticate": "Bearer"},
        )
