"""The web server's access log without secrets: ``dangjian serve`` runs gunicorn with
``--logger-class dangjian.core.accesslog.RedactingLogger``.

gunicorn's default line records the request line with its query string and the Referer —
where an Open311 ``api_key`` sent in the URL, a photo's ``?t=`` tracking token, a pickup
``?code=`` or a search for a resident's name would land. Here every query string keeps its
parameter names only (``?api_key=…&status=…``), the private tracking link's token in the
path (``/appeals/t/<token>/``) is replaced by ``…``, the same holds for the Referer, and the
credential headers (``Authorization``, ``Cookie``, ``X-Api-Key``, ``Set-Cookie``,
``X-Open311-Token``) are never available to a log format.
"""

from __future__ import annotations

import re
from typing import Any

from gunicorn.glogging import Logger

HIDDEN = "…"
# Paths whose segment after the prefix is a bearer secret.
_SECRET_PATH = re.compile(r"(/t/)[^/?#]+")
_SECRET_HEADERS = {"authorization", "cookie", "x-api-key", "set-cookie", "x-open311-token"}


def redact_url(url: str) -> str:
    """``url`` with its query values and path secrets replaced by ``…``."""
    if not url or url == "-":
        return url
    path, sep, query = url.partition("?")
    path = _SECRET_PATH.sub(rf"\g<1>{HIDDEN}", path)
    return f"{path}?{redact_query(query)}" if sep else path


def redact_query(query: str) -> str:
    """The parameter names of a query string, each value replaced by ``…``."""
    names = [part.split("=", 1)[0] for part in query.split("&") if part]
    return "&".join(f"{name}={HIDDEN}" for name in names)


class RedactingLogger(Logger):
    def atoms(self, resp: Any, req: Any, environ: dict[str, Any], request_time: Any) -> dict[str, Any]:
        atoms = super().atoms(resp, req, environ, request_time)
        atoms["r"] = f"{atoms['m']} {redact_url(environ.get('RAW_URI', ''))} {atoms['H']}"
        atoms["U"] = redact_url(atoms["U"] or "")
        atoms["q"] = redact_query(atoms["q"] or "")
        atoms["f"] = redact_url(atoms["f"])
        for key in list(atoms):
            if not (key.startswith("{") and key[-2:] in ("}i", "}o", "}e")):
                continue
            name = key[1:-2]
            header = name.removeprefix("http_").replace("_", "-")
            if header in _SECRET_HEADERS:
                atoms[key] = HIDDEN
            elif name in ("raw_uri", "query_string", "path_info", "referer", "http_referer", "script_name"):
                value = str(atoms[key])
                atoms[key] = redact_query(value) if name == "query_string" else redact_url(value)
        return atoms
