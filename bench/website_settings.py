"""Settings for the website throughput benchmark (``bench/website_pages.py``) only.

Everything comes from ``wohnfair.settings``; the URLs add a bare view that returns
1 KB (``bench.website_urls``), the baseline of the benchmark. The page cache is on
or off through ``WOHNFAIR_PAGE_CACHE`` as in production. Never use this module
anywhere else.
"""

from wohnfair.settings import *  # noqa: F403

ROOT_URLCONF = "bench.website_urls"
