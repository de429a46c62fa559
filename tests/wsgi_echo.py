"""A WSGI application that answers with the scheme gunicorn gave the request (tests/test_public_address.py)."""


def application(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [environ["wsgi.url_scheme"].encode()]
