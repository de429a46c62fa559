"""Purges an HTTP cache in front of the portal (Varnish, deploy/varnish/portal.vcl) by cache tags.

When an edit commits, core.tags sends `invalidated` with the tags of the answers it changes; the
same tags are in the `xkey` header of every answer such a cache keeps (PORTAL_CACHE_TAG_HEADER).
Each address in PORTAL_PURGE_URLS gets `PURGE` with `xkey-purge: tag1 tag2 …` and drops what
carries any of them. A cache that does not answer costs the editor at most the timeout and is
logged, never raised: the edit is saved, and the cache's pages age out (PORTAL_PROXY_CACHE_SECONDS).
"""

import http.client
import logging
from urllib.parse import urlsplit

from django.conf import settings

from core import tags as cache_tags

logger = logging.getLogger(__name__)


def purge(url, tags):
    """Sends one PURGE; the status, or raises OSError / http.client.HTTPException."""
    address = urlsplit(url)
    connection_class = http.client.HTTPSConnection if address.scheme == "https" else http.client.HTTPConnection
    connection = connection_class(address.hostname, address.port, timeout=settings.PORTAL_PURGE_TIMEOUT)
    try:
        connection.request("PURGE", address.path or "/", headers={"xkey-purge": " ".join(sorted(tags))})
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


def dropped(sender, tags, **kwargs):
    for url in settings.PORTAL_PURGE_URLS:
        try:
            status = purge(url, tags)
        except (OSError, http.client.HTTPException) as error:
            logger.error("Could not purge %s: %s", url, error)
            continue
        if status != 200:
            logger.error("Purging %s answered %s", url, status)


def connect_signals():
    cache_tags.invalidated.connect(dropped, dispatch_uid="public.purge")
