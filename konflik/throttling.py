"""Rate limits of expensive and bulk reads (ASVS 2.4.1), one mechanism for HTML pages and the API.

Scopes and their rates live in `REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]` (`KONFLIK_RATE_*`):
- `search`: any request that carries a non-empty `q` or `search` parameter (every list and the API);
- `export`: views that declare `throttle_scope = "export"` (API views through `ScopedThrottle`, HTML
  views through `konflik.middleware.RateLimitMiddleware`);
- `token`: the API token endpoint.
Counted per signed-in user (per address for anonymous callers: `konflik.clientip.client_ip`, which
trusts exactly `KONFLIK_PROXY_COUNT` proxies, never the client's own `X-Forwarded-For`). The incidents and action-plan exports and
the dashboard's reports also have their own per-minute limits (`KONFLIK_*_PER_MINUTE`), counted by
`per_minute_limit_reached`.

Every limiter fails open: while the cache (Redis) is unreachable, a request is served, never a 500.
"""

import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from rest_framework.throttling import ScopedRateThrottle, SimpleRateThrottle

from .clientip import client_ip

SEARCH_PARAMS = ("q", "search")
log = logging.getLogger(__name__)


def is_search(params) -> bool:
    return any((params.get(name) or "").strip() for name in SEARCH_PARAMS)


def per_minute_limit_reached(user, name: str, limit: int) -> bool:
    """Count one request of `user` under `name` in the current minute; True once it exceeds `limit`."""
    key = f"konflik:per-minute:{name}:{user.pk}:{int(time.time() // 60)}"
    try:
        cache.add(key, 0, timeout=70)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=70)
            count = 1
    except Exception:
        log.warning("per-minute limit %s not checked: cache unavailable", name, exc_info=True)
        return False
    return count > limit


class ClientAddressMixin:
    """Anonymous callers are counted under the address `client_ip` decides (DRF's own `get_ident`
    takes the whole `X-Forwarded-For` header, which the client writes); the cache failing lets the
    request through."""

    def get_ident(self, request):
        return client_ip(request)

    def get_rate(self):
        # read when used, so that settings changed at run time (and in tests) apply
        try:
            return settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"][self.scope]
        except KeyError:
            raise ImproperlyConfigured(f"No rate for throttle scope {self.scope!r}") from None

    def allow_request(self, request, view):
        # Fail open: while the cache (Redis) is unreachable, a search is better served than a 500.
        try:
            return super().allow_request(request, view)
        except ImproperlyConfigured:
            raise
        except Exception:
            log.warning("rate limit %s not checked: cache unavailable", self.scope, exc_info=True)
            return True


class ScopeThrottle(ClientAddressMixin, SimpleRateThrottle):
    """A per-user throttle for a named scope."""

    def __init__(self, scope=None):
        if scope is not None:
            self.scope = scope
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)

    def get_cache_key(self, request, view):
        user = getattr(request, "user", None)
        ident = user.pk if user is not None and user.is_authenticated else self.get_ident(request)
        return self.cache_format % {"scope": self.scope, "ident": ident}


class SearchThrottle(ScopeThrottle):
    """API default: counts only requests that search."""

    scope = "search"

    def get_cache_key(self, request, view):
        if not is_search(request.query_params):
            return None
        return super().get_cache_key(request, view)


class ScopedThrottle(ClientAddressMixin, ScopedRateThrottle):
    """DRF's `ScopedRateThrottle` (views with a `throttle_scope`), counting anonymous callers by
    `client_ip`."""
