# Varnish in front of the portal's gunicorn nodes (docs/deployment.md).
#
# - The portal decides what may be kept: a public answer it could store itself comes with
#   `Surrogate-Control: max-age=N` (PORTAL_PROXY_CACHE_SECONDS) and its cache tags in `xkey`
#   (PORTAL_CACHE_TAG_HEADER=xkey). Varnish keeps such an answer N seconds, and removes both
#   headers before delivery, so browsers still see `Cache-Control: no-cache` and revalidate with
#   the ETag. Static files (Cache-Control: public) are kept as long as they say; nothing else is.
# - An edit purges by the same tags: the portal sends `PURGE` with `xkey-purge: tag1 tag2`
#   (PORTAL_PURGE_URLS) and every object that carries one of them is dropped.
# - Editors never meet the cache: the admin, and any request with a session cookie, go straight
#   to the portal and their answers are not kept.
# - The key is the URL (which holds the language: /ar/, /en/) and whether the client takes gzip.
#   Campaign parameters (utm_*, fbclid, gclid, msclkid) are dropped from it: no page reads them
#   (public/addresses.py PAGE_PARAMETERS). Other unknown parameters are kept: the portal answers
#   the same page for them, and stores it once in its own cache.
#
# Run: varnishd -a :6081 -f /etc/varnish/portal.vcl -s malloc,1g (the backend and the purgers
# are below).

vcl 4.1;

import std;
import xkey;

backend portal {
    .host = "127.0.0.1";
    .port = "8000";
    .connect_timeout = 2s;
    .first_byte_timeout = 35s;
}

# Who may purge: the portal's nodes.
acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(403, "Forbidden"));
        }
        if (!req.http.xkey-purge) {
            return (synth(400, "No xkey-purge header"));
        }
        set req.http.n-gone = xkey.purge(req.http.xkey-purge);
        return (synth(200, "Purged " + req.http.n-gone));
    }
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    # Editors: the admin, and anyone signed in (Django's session cookie).
    if (req.url ~ "^/admin(/|$)" || req.http.Cookie ~ "(^|;\s*)sessionid=") {
        return (pass);
    }
    # Readers' cookies (csrftoken, analytics) change no public page.
    unset req.http.Cookie;
    # Campaign parameters change no page (public/addresses.py PAGE_PARAMETERS): one object for all.
    set req.url = regsuball(req.url, "(?<=[?&])(utm_[a-z]+|fbclid|gclid|msclkid)=[^&]*&?", "");
    set req.url = regsub(req.url, "[?&]$", "");
    # Two variants at most: gzip or plain (the portal varies on Accept-Encoding).
    if (req.http.Accept-Encoding ~ "gzip") {
        set req.http.Accept-Encoding = "gzip";
    } else {
        unset req.http.Accept-Encoding;
    }
    return (hash);
}

sub vcl_hash {
    hash_data(req.url);
    # One host in production (pages name PORTAL_BASE_URL whatever the Host), but a local run's
    # pages name the host asked for.
    hash_data(req.http.host);
    # http and https answers differ (a redirect, HSTS): the TLS proxy says which it was.
    hash_data(req.http.X-Forwarded-Proto);
    hash_data(req.http.Accept-Encoding);
    return (lookup);
}

sub vcl_backend_response {
    if (bereq.uncacheable) {
        return (deliver);
    }
    if (beresp.status != 200
        || beresp.http.Set-Cookie
        || beresp.http.Cache-Control ~ "(?i)private|no-store"
        || beresp.http.Vary == "*") {
        call not_kept;
        return (deliver);
    }
    if (beresp.http.Surrogate-Control ~ "max-age=[0-9]+") {
        set beresp.ttl = std.duration(
            regsub(beresp.http.Surrogate-Control, ".*max-age=([0-9]+).*", "\1") + "s", 0s);
        set beresp.grace = 10s;
        return (deliver);
    }
    if (beresp.http.Cache-Control ~ "(?i)public" && beresp.http.Cache-Control ~ "max-age=[1-9]") {
        return (deliver);
    }
    # Anything else (redirects by language, pages the portal did not mark): not kept.
    call not_kept;
    return (deliver);
}

sub not_kept {
    # Hit-for-miss: requests for it go to the portal without queueing behind each other, and a
    # later answer that may be kept is kept.
    set beresp.ttl = 60s;
    set beresp.uncacheable = true;
}

sub vcl_deliver {
    # For the edge only: browsers keep Cache-Control: no-cache and revalidate.
    unset resp.http.xkey;
    unset resp.http.Surrogate-Control;
    if (obj.hits > 0) {
        set resp.http.X-Varnish-Cache = "hit";
    } else {
        set resp.http.X-Varnish-Cache = "miss";
    }
}
