"""Spam protection of the public portal, without any third party.

Four layers, each cheap for a person and costly for a bot:

* a honeypot field that people never see and bots fill in;
* a signed timestamp of when the form was opened: sending it within
  ``MIN_FILL_SECONDS`` or after ``MAX_FORM_AGE`` is refused;
* a proof of work in the style of ALTCHA: the server hands out a challenge
  (a random salt with an expiry, the SHA-256 of salt and a secret number, and an
  HMAC signature), ``static/intake/pow.js`` finds the number in the browser, the
  server checks the answer and remembers it so that it cannot be used twice.
  Without JavaScript the form still works; such reports are marked as not
  verified and fall under a tighter rate limit;
* rate limits per keyed hash of the client address and for everyone together.

No address is ever stored: the rate limits keep an HMAC of it (keyed with
SECRET_KEY) as part of a counter's key (``models.RateCounter``) that is deleted a
few seconds after its window. Counting is atomic (``intake.state``).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import secrets
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.core import signing
from django.http import HttpRequest
from django.utils.crypto import salted_hmac

from wohnfair.intake import state

HONEYPOT_FIELD = "website"
STARTED_FIELD = "form_started"
POW_FIELD = "pow"

MIN_FILL_SECONDS = 3
MAX_FORM_AGE = 24 * 3600  # a person may write for a long time, but not for days
STARTED_SALT = "wohnfair.intake.form-started"

POW_ALGORITHM = "SHA-256"
POW_MAX_NUMBER = 200_000  # about half a second of work in a browser on average
POW_LIFETIME = 30 * 60
POW_MAX_PAYLOAD = 2000
POW_HMAC_SALT = "wohnfair.intake.pow"


# Form start ----------------------------------------------------------------------------


def started_token(at: float | None = None) -> str:
    """A signed record of when the form was shown."""
    return signing.dumps({"t": int(at if at is not None else time.time())}, salt=STARTED_SALT)


def started_at(token: object) -> float | None:
    """When a form was opened, if ``token`` is genuine and not older than MAX_FORM_AGE."""
    if not isinstance(token, str) or not token or len(token) > 200:
        return None
    try:
        data = signing.loads(token, salt=STARTED_SALT, max_age=MAX_FORM_AGE)
    except signing.BadSignature:  # includes SignatureExpired
        return None
    value = data.get("t") if isinstance(data, dict) else None
    if not isinstance(value, int) or time.time() - value > MAX_FORM_AGE:
        return None
    return float(value)


def fill_time_problem(token: object, now: float | None = None) -> str | None:
    """None if the form was filled in a plausible time; else "too_fast" or "invalid"."""
    opened = started_at(token)
    if opened is None:
        return "invalid"
    if (now if now is not None else time.time()) - opened < min_fill_seconds():
        return "too_fast"
    return None


def min_fill_seconds() -> int:
    return int(getattr(settings, "WOHNFAIR_INTAKE_MIN_FILL_SECONDS", MIN_FILL_SECONDS))


# Proof of work -------------------------------------------------------------------------


def pow_max_number() -> int:
    return int(getattr(settings, "WOHNFAIR_POW_MAX_NUMBER", POW_MAX_NUMBER))


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _signature(challenge: str) -> str:
    return salted_hmac(POW_HMAC_SALT, challenge, algorithm="sha256").hexdigest()


def new_challenge() -> dict[str, Any]:
    """A challenge as ALTCHA's widget expects it; the number stays on the server's side."""
    expires = int(time.time()) + POW_LIFETIME
    salt = f"{secrets.token_hex(12)}?expires={expires}"
    maximum = pow_max_number()
    number = secrets.randbelow(maximum + 1)
    challenge = _sha256(f"{salt}{number}")
    return {
        "algorithm": POW_ALGORITHM,
        "challenge": challenge,
        "maxnumber": maximum,
        "salt": salt,
        "signature": _signature(challenge),
    }


def _expiry(salt: str) -> int | None:
    _, _, query = salt.partition("?")
    for part in query.split("&"):
        key, _, value = part.partition("=")
        if key == "expires" and value.isdigit():
            return int(value)
    return None


def verify_solution(payload: object) -> str | None:
    """The challenge a genuine, unexpired answer solves, or None.

    ``payload`` is what pow.js puts in the form: base64 of a JSON object with
    algorithm, challenge, number, salt and signature. Whether the challenge was
    used before is checked when the report is stored (``claim_challenge``).
    """
    if not isinstance(payload, str) or not payload or len(payload) > POW_MAX_PAYLOAD:
        return None
    try:
        data = json.loads(base64.b64decode(payload, validate=True))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        return None
    if not isinstance(data, dict):
        return None
    challenge, salt = data.get("challenge"), data.get("salt")
    number, signature = data.get("number"), data.get("signature")
    if not (
        data.get("algorithm") == POW_ALGORITHM
        and isinstance(challenge, str)
        and isinstance(salt, str)
        and isinstance(signature, str)
        and isinstance(number, int)
        and not isinstance(number, bool)
        and 0 <= number <= pow_max_number()
    ):
        return None
    if not hmac.compare_digest(_signature(challenge), signature):
        return None
    expires = _expiry(salt)
    if expires is None or expires < time.time():
        return None
    if not hmac.compare_digest(_sha256(f"{salt}{number}"), challenge):
        return None
    return challenge


def claim_challenge(challenge: str) -> bool:
    """Mark a solved challenge as used; False if it was used already.

    This runs in the caller's transaction: if storing the report fails, the challenge
    stays unused. The record outlives the challenge's own expiry.
    """
    return state.claim(challenge, _moment(time.time() + POW_LIFETIME + 60))


def challenge_used(challenge: str) -> bool:
    return state.is_used(challenge)


def _moment(timestamp: float) -> datetime:
    return datetime.fromtimestamp(timestamp, tz=UTC)


def solve(challenge: dict[str, Any]) -> str:
    """The answer pow.js would give (for tests, the demo and the load test)."""
    for number in range(int(challenge["maxnumber"]) + 1):
        if _sha256(f"{challenge['salt']}{number}") == challenge["challenge"]:
            answer = {key: challenge[key] for key in ("algorithm", "challenge", "salt")}
            answer.update(number=number, signature=challenge["signature"])
            return base64.b64encode(json.dumps(answer).encode()).decode()
    raise ValueError("challenge has no solution")


# Rate limits ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Limit:
    per_address: int
    overall: int
    window: int  # seconds


# Defaults; a deployment (or the load test) may set WOHNFAIR_INTAKE_RATE_LIMITS to a
# dict of scope -> (per address, overall, window seconds) to change any of them.
LIMITS: dict[str, Limit] = {
    # Sending the report form (every POST, valid or not).
    "submit": Limit(per_address=20, overall=3000, window=600),
    # Reports stored without a proof of work (browsers without JavaScript).
    "unverified": Limit(per_address=5, overall=60, window=3600),
    # Fetching a proof-of-work challenge.
    "pow": Limit(per_address=120, overall=20000, window=600),
    # Entering a receipt code on the follow-up page (each costs a slow hash).
    "receipt": Limit(per_address=10, overall=300, window=600),
    # Writing a message on the follow-up page.
    "message": Limit(per_address=20, overall=1000, window=600),
}


def limit_for(scope: str) -> Limit:
    configured = getattr(settings, "WOHNFAIR_INTAKE_RATE_LIMITS", {}) or {}
    if scope in configured:
        return Limit(*configured[scope])
    return LIMITS[scope]


def client_address(request: HttpRequest) -> str:
    """The address the request came from; behind a trusted proxy, the one it saw.

    Only ever used as input to ``address_key``; never stored or logged.
    """
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[-1].strip()
    return str(request.META.get("REMOTE_ADDR", ""))


def address_key(request: HttpRequest) -> str:
    """A keyed hash of the client address: the same address gives the same key, and the
    address cannot be recovered from it without SECRET_KEY."""
    return salted_hmac(
        "wohnfair.intake.rate-limit", client_address(request), algorithm="sha256"
    ).hexdigest()[:32]


def counter_key(scope: str, window: int, subject: str) -> str:
    """``subject`` is ``all`` or an ``address_key``."""
    return f"{scope}:{window}:{subject}"


def current_window(scope: str, now: float | None = None) -> int:
    return int((now if now is not None else time.time()) // limit_for(scope).window)


def allow(request: HttpRequest, scope: str) -> bool:
    """Count one attempt of ``scope``; False once this address or everyone is over the limit.

    Counters belong to fixed windows and are deleted a few seconds after theirs ends:
    the first attempt counted in a new window of a scope deletes all expired ones
    (and the scheduled ``intake.tasks.prune_portal_state`` does, when nobody comes).
    An attempt refused for its address is not counted for everyone.
    """
    limit = limit_for(scope)
    window = current_window(scope)
    expires = _moment((window + 1) * limit.window + 5)
    _mine, everyone = state.count_attempt(
        counter_key(scope, window, address_key(request)),
        counter_key(scope, window, "all"),
        expires,
        limit.per_address,
    )
    if everyone is None:
        return False
    if everyone == 1:
        state.prune()
    return everyone <= limit.overall


def retry_after(scope: str) -> int:
    """Seconds until the current window of ``scope`` ends."""
    window = limit_for(scope).window
    return max(1, window - int(time.time()) % window)
