"""The client's address, decided in one place for the lockout (django-axes), the rate limits (DRF
throttles and `konflik.throttling`), the per-address sign-in limit and the security log.

`KONFLIK_PROXY_COUNT` is the number of reverse proxies in front of the application that each append
the address they received the request from to `X-Forwarded-For`:

- 0 (the default): `REMOTE_ADDR` only; `X-Forwarded-For` is whatever the client wrote and is ignored.
- N: the Nth address from the right of `X-Forwarded-For`, the one the outermost trusted proxy saw.
  Anything further left was written by the client and is ignored.

A missing or malformed header, or fewer addresses than proxies (a request that did not pass through
them), falls back to `REMOTE_ADDR`, so a client can never choose the address it is counted under.
"""

import ipaddress

from django.conf import settings


def _valid(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_ip(request) -> str:
    remote = request.META.get("REMOTE_ADDR", "") or ""
    count = getattr(settings, "KONFLIK_PROXY_COUNT", 0)
    if count > 0:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if len(forwarded) >= count and forwarded[-count].strip():
            address = _valid(forwarded[-count])
            if address is not None:
                return address
    return remote
