"""Writes need ``Authorization: Bearer <ROLEGRAPH_API_TOKEN>``; with no token configured, writes are off."""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import Depends, HTTPException, Request

from api.deps import SettingsDep


def require_write_token(request: Request, settings: SettingsDep) -> None:
    if settings.api_token is None or not settings.api_token.get_secret_value():
        raise HTTPException(403, "writes are disabled on this server: set ROLEGRAPH_API_TOKEN to enable them")
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    expected = settings.api_token.get_secret_value()
    if scheme.lower() != "bearer" or not secrets.compare_digest(given.strip().encode(), expected.encode()):
        raise HTTPException(
            401,
            "this write needs a valid bearer token (Authorization: Bearer ...)",
            headers={"WWW-Authenticate": 'Bearer realm="rolegraph"'},
        )


WriteAccess = Annotated[None, Depends(require_write_token)]
