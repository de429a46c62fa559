"""Varnish in front of gunicorn, with the project's VCL (deploy/varnish/portal.vcl): a repeat visit
is Varnish's hit; an edit purges, by tag, the pages that show the record and no others; editors
and the admin never meet the cache; languages and compressions are kept apart."""

import gzip
import shutil
import subprocess
import urllib.error
import urllib.request

import pytest

from tests.served import ROOT, Gunicorn, environment, free_port, manage, shell, wait_for_port

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("varnishd") is None, reason="varnishd is not installed"),
]

VCL = ROOT / "deploy" / "varnish" / "portal.vcl"

RECORDS = """
from tests import factories as make
libya, tunisia = make.named_country("LY"), make.named_country("TN")
make.conference("cissa-20", name_ar="سيسا 20", name_en="CISSA 20", host_country=libya)
make.conference("aman-5", name_ar="أمان 5", name_en="Aman 5", host_country=tunisia)
"""


class Varnish:
    """varnishd in the foreground on a free loopback port, with the project's VCL aimed at `backend_port`."""

    def __init__(self, backend_port, directory):
        self.port = free_port()
        self.directory = directory
        vcl = VCL.read_text().replace('.port = "8000";', f'.port = "{backend_port}";')
        assert f'"{backend_port}"' in vcl
        self.vcl = directory / "portal.vcl"
        self.vcl.write_text(vcl)

    @property
    def base(self):
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self):
        self.log = open(self.directory / "varnishd.log", "w")  # noqa: SIM115 - closed in __exit__
        # -j none: no privilege separation, so that it runs as whoever runs the tests.
        self.process = subprocess.Popen(
            ["varnishd", "-F", "-j", "none", "-a", f"127.0.0.1:{self.port}", "-f", str(self.vcl),
             "-n", str(self.directory / "work"), "-s", "malloc,64m"],
            stdout=self.log, stderr=subprocess.STDOUT,
        )
        wait_for_port(self.port, self.process, self.directory / "varnishd.log")
        return self

    def __exit__(self, *exc):
        self.process.terminate()
        self.process.wait(timeout=30)
        self.log.close()


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    directory = tmp_path_factory.mktemp("varnish")
    env = environment(f"sqlite:///{directory / 'db.sqlite3'}", PORTAL_CACHE_TAG_HEADER="xkey")
    manage(env, "migrate", "--verbosity", "0")
    shell(env, RECORDS)
    with Gunicorn(env, directory / "gunicorn.log") as node, Varnish(node.port, directory) as varnish:
        env["PORTAL_PURGE_URLS"] = varnish.base + "/"
        yield varnish, env


class Answer:
    def __init__(self, response):
        self.status = response.status
        self.headers = response.headers
        self.body = response.read()

    @property
    def cache(self):
        return self.headers["X-Varnish-Cache"]

    @property
    def text(self):
        body = gzip.decompress(self.body) if self.headers["Content-Encoding"] == "gzip" else self.body
        return body.decode()


def fetch(varnish, path, **headers):
    request = urllib.request.Request(varnish.base + path, headers=headers)
    opener = urllib.request.build_opener(NoRedirect)
    with opener.open(request, timeout=30) as response:
        return Answer(response)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def test_a_repeat_visit_is_a_hit_and_browsers_still_revalidate(served):
    varnish, _env = served
    first = fetch(varnish, "/en/conferences/cissa-20/")
    second = fetch(varnish, "/en/conferences/cissa-20/")
    assert (first.cache, second.cache) == ("miss", "hit")
    assert len(second.headers["X-Varnish"].split()) == 2
    assert second.body == first.body and "CISSA 20" in second.text
    # What is for the cache stays in it.
    assert second.headers["Cache-Control"] == "no-cache"
    assert "xkey" not in second.headers and "Surrogate-Control" not in second.headers
    # A browser's revalidation is answered by Varnish.
    with pytest.raises(urllib.error.HTTPError) as revalidated:
        fetch(varnish, "/en/conferences/cissa-20/", **{"If-None-Match": second.headers["ETag"]})
    assert revalidated.value.code == 304
    assert revalidated.value.headers["X-Varnish-Cache"] == "hit"


def test_languages_and_compressions_are_kept_apart(served):
    varnish, _env = served
    fetch(varnish, "/en/conferences/aman-5/")
    arabic = fetch(varnish, "/ar/conferences/aman-5/")
    assert arabic.cache == "miss" and "أمان 5" in arabic.text
    assert fetch(varnish, "/ar/conferences/aman-5/").cache == "hit"

    plain = fetch(varnish, "/en/countries/")
    zipped = fetch(varnish, "/en/countries/", **{"Accept-Encoding": "gzip, deflate, br"})
    assert plain.headers["Content-Encoding"] is None and plain.body.startswith(b"<!")
    assert zipped.headers["Content-Encoding"] == "gzip" and zipped.cache == "miss"
    assert zipped.text == plain.text
    # Accept-Encoding is reduced to gzip or nothing: another spelling is the same object.
    assert fetch(varnish, "/en/countries/", **{"Accept-Encoding": "gzip"}).cache == "hit"
    assert fetch(varnish, "/en/countries/", **{"Accept-Encoding": "identity"}).cache == "hit"


def test_an_edit_purges_the_pages_that_show_it_and_keeps_the_others(served):
    varnish, env = served
    shown = ["/en/conferences/cissa-20/", "/ar/conferences/cissa-20/", "/en/conferences/", "/api/v1/conferences/"]
    other = "/en/conferences/aman-5/"
    for path in [*shown, other]:
        fetch(varnish, path)
        assert fetch(varnish, path).cache == "hit"

    shell(env, 'from conferences.models import Conference\n'
               'c = Conference.objects.get(slug="cissa-20")\n'
               'c.name_en, c.name_ar = "CISSA 20 (corrected)", "سيسا 20 (مصحح)"\n'
               'c.save()')

    for path in shown:
        answer = fetch(varnish, path)
        assert answer.cache == "miss", path
    assert "CISSA 20 (corrected)" in fetch(varnish, "/en/conferences/cissa-20/").text
    assert "سيسا 20 (مصحح)" in fetch(varnish, "/ar/conferences/cissa-20/").text
    assert fetch(varnish, other).cache == "hit"


def test_an_editor_is_passed_both_ways(served):
    varnish, _env = served
    cached = "/en/"
    fetch(varnish, cached)
    assert fetch(varnish, cached).cache == "hit"
    assert fetch(varnish, cached, Cookie="sessionid=abc").cache == "miss"

    fresh = "/en/organizations/"
    assert fetch(varnish, fresh, Cookie="csrftoken=x; sessionid=abc").cache == "miss"
    assert fetch(varnish, fresh, Cookie="sessionid=abc").cache == "miss"
    # The editor's visits did not fill the cache for readers.
    assert fetch(varnish, fresh).cache == "miss"
    # A reader's other cookies change nothing.
    assert fetch(varnish, fresh, Cookie="csrftoken=x; _ga=1").cache == "hit"


def test_the_admin_is_never_cached(served):
    varnish, _env = served
    for _ in range(3):
        answer = fetch(varnish, "/admin/login/")
        assert answer.status == 200 and answer.cache == "miss"


def test_a_purge_must_name_its_tags(served):
    varnish, _env = served
    request = urllib.request.Request(varnish.base + "/", method="PURGE")
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=10)
    assert refused.value.code == 400


def test_campaign_parameters_share_the_page_and_page_parameters_do_not(served):
    varnish, _env = served
    fetch(varnish, "/en/conferences/?year=2025")
    assert fetch(varnish, "/en/conferences/?utm_source=news&year=2025&fbclid=abc").cache == "hit"
    assert fetch(varnish, "/en/conferences/?year=2024&utm_medium=mail").cache == "miss"
