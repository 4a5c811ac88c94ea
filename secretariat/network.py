"""Where a request comes from, when the site sits behind proxies."""

from django.conf import settings


def client_ip(request) -> str | None:
    """The reader's address: ``REMOTE_ADDR``, or the address the nearest trusted proxy saw.

    Each proxy appends the address it received the request from to ``X-Forwarded-For``; with
    ``TRUSTED_PROXY_COUNT`` proxies in front, the entry that many places from the end is the
    reader's. Anything before it was written by the client and is not trusted (a forged header
    cannot dodge the login throttle, or lock out someone else's address).
    """
    count = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if count:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [part for part in forwarded if part]
        if len(forwarded) >= count:
            return forwarded[-count]
    return request.META.get("REMOTE_ADDR")
