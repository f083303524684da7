"""Personal data at rest: AES-256-GCM encryption, a keyed blind index for look-ups, and masks.

A protected value is stored as three columns:
``<name>_enc`` (ciphertext, ``k<key#>:<base64 nonce+ct>``), ``<name>_hash`` (HMAC-SHA256 of the
normalised value, for exact look-ups such as log-in by phone) and ``<name>_masked`` (what a
screen may show, e.g. ``138****5678``). Only :func:`reveal` returns plain text, and callers
log every reveal (see :mod:`dangjian.core.actions`).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings


@lru_cache(maxsize=1)
def _keys() -> tuple[AESGCM, ...]:
    return tuple(AESGCM(base64.b64decode(k)) for k in settings.DATA_KEYS)


@lru_cache(maxsize=1)
def _index_key() -> bytes:
    # Derived from the first data key so one secret covers both; a separate label keeps
    # the blind index unrelated to the encryption key stream.
    return hmac.new(base64.b64decode(settings.DATA_KEYS[0]), b"dangjian-blind-index", hashlib.sha256).digest()


def encrypt(plain: str) -> str:
    nonce = os.urandom(12)
    ct = _keys()[0].encrypt(nonce, plain.encode("utf-8"), None)
    return "k0:" + base64.b64encode(nonce + ct).decode("ascii")


def decrypt(token: str) -> str:
    if not token:
        return ""
    _prefix, _, body = token.partition(":")
    raw = base64.b64decode(body)
    last_error: Exception | None = None
    for key in _keys():  # newest first; older keys still decrypt after rotation
        try:
            return key.decrypt(raw[:12], raw[12:], None).decode("utf-8")
        except Exception as exc:  # noqa: BLE001 - try the next key
            last_error = exc
    raise ValueError("无法解密：密钥不匹配") from last_error


def blind_index(normalised: str) -> str:
    return hmac.new(_index_key(), normalised.encode("utf-8"), hashlib.sha256).hexdigest()


# --- normalisation, validation and masks ---------------------------------------------

PHONE_RE = re.compile(r"^1[3-9]\d{9}$")
LANDLINE_RE = re.compile(r"^0\d{2,3}-?\d{7,8}$")
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def normalise_phone(value: str) -> str:
    v = re.sub(r"[\s-]", "", value or "")
    if v.startswith("+86"):
        v = v[3:]
    return v


def is_valid_phone(value: str) -> bool:
    return bool(PHONE_RE.match(value))


def id_check_digit(first17: str) -> str:
    return _ID_CHECK[sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True)) % 11]


def is_valid_id_number(value: str) -> bool:
    """GB 11643 18-digit citizen ID with its ISO 7064 MOD 11-2 check digit."""
    if not re.fullmatch(r"\d{17}[\dX]", value):
        return False
    return id_check_digit(value[:17]) == value[17]


def normalise_id_number(value: str) -> str:
    return (value or "").strip().upper()


def mask_phone(v: str) -> str:
    return v[:3] + "****" + v[-4:] if len(v) >= 7 else "****"


def mask_id_number(v: str) -> str:
    return v[:4] + "*" * (len(v) - 8) + v[-4:] if len(v) > 8 else "****"


def mask_address(v: str) -> str:
    # Keep the coarse part (up to the compound), hide building/room numbers.
    cut = re.split(r"\d", v, maxsplit=1)[0]
    return (cut or v[:6]) + "****"


@dataclass(frozen=True)
class Sealed:
    enc: str
    hash: str
    masked: str


_MASKS: dict[str, Callable[[str], str]] = {
    "phone": mask_phone,
    "id_number": mask_id_number,
    "address": mask_address,
}
_NORMALISE: dict[str, Callable[[str], str]] = {
    "phone": normalise_phone,
    "id_number": normalise_id_number,
    "address": str.strip,
}


def seal(kind: str, value: str) -> Sealed:
    """Encrypt, index and mask one personal value (``kind``: phone, id_number, address)."""
    v = _NORMALISE[kind](value or "")
    if not v:
        return Sealed("", "", "")
    return Sealed(encrypt(v), blind_index(f"{kind}:{v}"), _MASKS[kind](v))


def lookup_hash(kind: str, value: str) -> str:
    return blind_index(f"{kind}:{_NORMALISE[kind](value or '')}")
