"""Settings for the load test of the reporting portal (``bench/intake_load.py``) only.

Everything comes from ``wohnfair.settings``; only the spam protection is tuned so
that one machine can play hundreds of reporters from one address:

* the rate limits are so high that they never refuse, but they are still counted
  (the counters in ``intake_ratecounter`` are part of the cost of every request);
* the minimum fill time is short (``WOHNFAIR_BENCH_MIN_FILL_SECONDS``, default 1);
  the signed start time is still checked;
* the proof of work is small (``WOHNFAIR_BENCH_POW_MAX_NUMBER``, default 1000):
  its cost falls on the reporter's browser, not on the server, and here the
  "browsers" share the CPUs with the server. The server checks an answer with
  one SHA-256 and one HMAC whatever the size.

Never use this module anywhere else.
"""

import os

from wohnfair.settings import *  # noqa: F403

_NEVER = 10**9

WOHNFAIR_INTAKE_RATE_LIMITS = {
    scope: (_NEVER, _NEVER, 3600) for scope in ("submit", "unverified", "pow", "receipt", "message")
}
WOHNFAIR_INTAKE_MIN_FILL_SECONDS = int(os.environ.get("WOHNFAIR_BENCH_MIN_FILL_SECONDS", "1"))
WOHNFAIR_POW_MAX_NUMBER = int(os.environ.get("WOHNFAIR_BENCH_POW_MAX_NUMBER", "1000"))
