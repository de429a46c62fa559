"""Answers are compressed at a faster gzip level than Django's (public/compression.py), and read
the same once decompressed: the bytes of the plain answer, with Django's headers and its random
bytes against BREACH."""

import gzip

import pytest
from django.http import HttpResponse, StreamingHttpResponse
from django.test import RequestFactory

from public.compression import LEVEL, GZipMiddleware
from tests import factories as make

pytestmark = pytest.mark.django_db


def deflated(body):
    """The compressed stream of a gzip answer, after its header and the file name field."""
    assert body[:3] == b"\x1f\x8b\x08"
    if body[3] & gzip.FNAME:
        return body[body.index(b"\x00", 10) + 1 :]
    return body[10:]


@pytest.fixture
def conference(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return make.full_conference("summit-2025")


@pytest.mark.parametrize("path", ["/en/conferences/summit-2025/", "/ar/conferences/summit-2025/", "/ar/",
                                  "/api/v1/conferences/summit-2025/", "/api/v1/conferences.csv"])
def test_a_compressed_answer_is_the_plain_answer_compressed_at_the_faster_level(client, conference, path):
    plain = client.get(path)
    zipped = client.get(path, headers={"accept-encoding": "gzip"})
    assert plain.status_code == zipped.status_code == 200
    assert "Content-Encoding" not in plain and zipped["Content-Encoding"] == "gzip"
    assert gzip.decompress(zipped.content) == plain.content
    assert deflated(zipped.content) == deflated(gzip.compress(plain.content, compresslevel=LEVEL, mtime=0))
    assert zipped["Content-Length"] == str(len(zipped.content))
    assert "Accept-Encoding" in zipped["Vary"] and "Accept-Encoding" in plain["Vary"]
    assert zipped["ETag"] == f"W/{plain['ETag']}"


def test_compressed_answers_still_carry_random_bytes_against_breach(client, conference):
    path = "/en/conferences/summit-2025/"
    lengths = {len(client.get(path, headers={"accept-encoding": "gzip"}).content) for _ in range(8)}
    assert len(lengths) > 1


def test_short_answers_and_streaming_ones_are_as_djangos_middleware_leaves_them():
    request = RequestFactory().get("/", headers={"accept-encoding": "gzip"})
    middleware = GZipMiddleware(lambda request: None)
    short = middleware.process_response(request, HttpResponse(b"x" * 100))
    assert short.content == b"x" * 100 and "Content-Encoding" not in short
    streamed = middleware.process_response(request, StreamingHttpResponse(iter([b"y" * 1000] * 3)))
    assert streamed["Content-Encoding"] == "gzip"
    assert gzip.decompress(b"".join(streamed.streaming_content)) == b"y" * 3000
