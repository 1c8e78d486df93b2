"""Receipt codes of reports: 16 random digits, shown once, stored only as a slow hash.

The reporter follows up with the code instead of an account. The code is made
with ``secrets`` and never stored: only ``hash_code`` (scrypt with a fixed,
configured salt) goes into the database. The hash is deterministic, so that the
report is found by an equality lookup, and slow, so that a stolen database does
not reveal codes by trying all 10^16 of them cheaply. ``verify`` compares in
constant time.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import unicodedata

from django.conf import settings

DIGITS = 16
GROUP = 4
# scrypt cost: 2**14 iterations of 8 blocks take about 16 MB and a few dozen milliseconds.
SCRYPT_N = 2**14
SCRYPT_R = 8
SCRYPT_P = 1
# Characters people put between the groups when they type a code.
SEPARATORS = frozenset(" -–—._/\u00a0\u202f\t")
MAX_INPUT_LENGTH = 64


def new_code() -> str:
    """A fresh code of 16 random digits (leading zeros included)."""
    return "".join(secrets.choice("0123456789") for _ in range(DIGITS))


def groups(code: str) -> list[str]:
    """The code in groups of four digits, as it is shown."""
    return [code[index : index + GROUP] for index in range(0, len(code), GROUP)]


def format_code(code: str) -> str:
    return " ".join(groups(code))


def normalise(raw: object) -> str | None:
    """The 16 digits of a typed code, or None when it cannot be one.

    Spaces, dashes and dots between digits are ignored; digits of other scripts
    (Arabic-Indic ٠١٢٣, for example) count as the digits they stand for.
    """
    if not isinstance(raw, str) or len(raw) > MAX_INPUT_LENGTH:
        return None
    digits = []
    for char in raw:
        if char in SEPARATORS:
            continue
        value = unicodedata.decimal(char, None)
        if value is None:
            return None
        digits.append(str(value))
    code = "".join(digits)
    return code if len(code) == DIGITS else None


def hash_code(code: str) -> str:
    """The slow hash stored in ``Report.receipt_hash`` (hex)."""
    return hashlib.scrypt(
        code.encode("ascii"),
        salt=settings.WOHNFAIR_RECEIPT_SALT.encode(),
        n=SCRYPT_N,
        r=SCRYPT_R,
        p=SCRYPT_P,
    ).hex()


def verify(code: str, stored_hash: str) -> bool:
    """True if ``code`` belongs to ``stored_hash``; the comparison takes constant time."""
    return hmac.compare_digest(hash_code(code), stored_hash)
