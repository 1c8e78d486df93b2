"""Receipt codes of reports: 16 random digits, shown once, stored only as a slow hash.

The reporter follows up with the code instead of an account. The code is made
with ``secrets`` and never stored: only ``hash_code`` (scrypt with a fixed,
configured salt) goes into the database. The hash is deterministic, so that the
report is found by an equality lookup, and slow, so that a stolen database does
not reveal codes by trying all 10^16 of them cheaply. ``verify`` compares in
constant time.

A stored hash names its scrypt parameters (``scrypt$<log2 N>$<r>$<p>$<hex>``), so
that they can change without losing the codes already handed out; a bare hex
string is a hash from before that (N=2^14, r=8, p=1, 64 bytes). ``lookup_hashes``
gives a code's hash under every parameter set still in use, for the lookup.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import unicodedata
from dataclasses import dataclass

from django.conf import settings

DIGITS = 16
GROUP = 4


@dataclass(frozen=True)
class Scrypt:
    """One set of scrypt parameters; ``legacy`` hashes are stored as bare hex."""

    log2_n: int
    r: int = 8
    p: int = 1
    length: int = 32
    legacy: bool = False

    @property
    def prefix(self) -> str:
        return "" if self.legacy else f"scrypt${self.log2_n}${self.r}${self.p}$"

    @property
    def memory(self) -> int:
        return 128 * self.r * 2**self.log2_n

    def stored(self, code: str) -> str:
        digest = hashlib.scrypt(
            code.encode("ascii"),
            salt=settings.WOHNFAIR_RECEIPT_SALT.encode(),
            n=2**self.log2_n,
            r=self.r,
            p=self.p,
            maxmem=2 * self.memory,
            dklen=self.length,
        )
        return self.prefix + digest.hex()


# How slow is slow enough. The secret is a code of 16 random digits, 10^16 ≈ 2^53
# possibilities, tried online only through a throttled form (``spam.LIMITS["receipt"]``);
# the hash has to make offline guessing from a stolen database hopeless. Unlike a
# password, the code is random and long: even SHA-256 alone (~10^10 per second on a GPU)
# would need half of 10^16 guesses, ~6 GPU-days, for one given code; the slow hash
# multiplies that by about 10^4.
#
# scrypt is memory-hard: each guess writes 128 * r * N bytes and reads them back in a
# data-dependent order, unless the attacker trades memory for even more computation.
# With N = 2^11 and r = 8 that is 2 MiB written and read, at least 4 MiB of memory
# traffic per guess, so memory bandwidth bounds the rate however many cores there are:
# a GPU with 1 TB/s (RTX 4090) at most ~2.4 * 10^5 guesses per second, one with 3 TB/s
# (H100) ~7 * 10^5 (real scrypt rates stay well below: the reads are random 1 KiB blocks).
#
# * One given report: on average 5 * 10^15 guesses, more than 200 GPU-years even at
#   7 * 10^5 per second.
# * The salt is the same for every report (the lookup by code needs a deterministic
#   hash), so one guess is compared with all stored hashes at once: with 10^4 reports
#   stored, a hit on *some* report (one the attacker cannot choose) is expected after
#   10^12 guesses, about 16 GPU-days at that bound (10^5 reports: 1.6 days; the former
#   parameters cost 8 times as much per guess). What stops this is a secret salt: set
#   WOHNFAIR_RECEIPT_SALT to a random value kept outside the database (like SECRET_KEY),
#   and a stolen database alone allows no guessing at all.
#
# Cost on the server: the former parameters (N = 2^14, 16 MiB) took 25-45 ms of CPU per
# report on the two-core machine the load test runs on, N = 2^12 about 9 ms, N = 2^11
# about 4.5 ms; a whole report (four requests) must stay within ~25-30 ms of worker CPU
# for 50 reports per second there (bench/README.md, "Reporting portal under load").
# To raise the cost later, put a new set in front of SCHEMES and keep the older ones
# for verification (and add a test with a hash made with them).
CURRENT = Scrypt(log2_n=11)
# Hashes stored before parameters were named: bare hex of 64 bytes, N = 2^14.
LEGACY = Scrypt(log2_n=14, length=64, legacy=True)
# Every set a stored hash may use; the first one hashes new codes.
SCHEMES = (CURRENT, LEGACY)
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
    """The slow hash stored in ``Report.receipt_hash``, naming its parameters."""
    return CURRENT.stored(code)


def lookup_hashes(code: str) -> list[str]:
    """The hash of ``code`` under every parameter set in use (each is computed, always:
    the time spent does not depend on which one a stored report has)."""
    return [scheme.stored(code) for scheme in SCHEMES]


def scheme_of(stored_hash: str) -> Scrypt | None:
    """The parameter set ``stored_hash`` was made with, or None if none known."""
    for scheme in SCHEMES:
        if scheme.legacy:
            if len(stored_hash) == 2 * scheme.length and "$" not in stored_hash:
                return scheme
        elif stored_hash.startswith(scheme.prefix):
            return scheme
    return None


def digest_part(stored_hash: str) -> str:
    """The hex digest without the parameters (for tags derived from the hash)."""
    return stored_hash.rpartition("$")[2]


def verify(code: str, stored_hash: str) -> bool:
    """True if ``code`` belongs to ``stored_hash``; the comparison takes constant time."""
    scheme = scheme_of(stored_hash)
    if scheme is None:
        return False
    return hmac.compare_digest(scheme.stored(code), stored_hash)
