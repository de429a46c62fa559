"""Lighthouse's accessibility and best-practices audits on one page of each type, in both languages.

Run against a serving portal with the seed data; Lighthouse itself (npm) and Chromium are the
only tools it needs, none of them the portal's dependencies:

    npm install --prefix /tmp/lighthouse lighthouse
    python scripts/lighthouse.py http://127.0.0.1:8000 --lighthouse /tmp/lighthouse/node_modules/.bin/lighthouse

It prints each page's two scores and every audit that failed, and exits 1 unless every score is 100.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import urllib.request
from html.parser import HTMLParser

CATEGORIES = ("accessibility", "best-practices")
# List pages; one record of each kind is found from its list.
LISTS = ("conferences", "series", "topics", "sources", "countries", "people", "organizations")


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self.hrefs.extend(value for name, value in attrs if name == "href" and value)


def page_paths(base):
    paths = []
    for language in ("ar", "en"):
        paths += [f"/{language}/", f"/{language}/about/", f"/{language}/search/?q=CISSA"]
        for kind in LISTS:
            listing = f"/{language}/{kind}/"
            parser = Links()
            parser.feed(urllib.request.urlopen(base + listing).read().decode())
            records = [href for href in parser.hrefs
                       if href.startswith(listing) and href != listing and "?" not in href]
            paths += [listing, *records[:1]]
    return paths


def audit(lighthouse, address, chrome):
    with tempfile.NamedTemporaryFile(suffix=".json") as report:
        subprocess.run(
            [lighthouse, address, f"--only-categories={','.join(CATEGORIES)}", "--output=json",
             f"--output-path={report.name}", "--chrome-flags=--headless --no-sandbox", "--quiet"],
            check=True, env={**os.environ, "CHROME_PATH": chrome},
        )
        with open(report.name) as saved:
            return json.load(saved)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base", help="the serving portal, e.g. http://127.0.0.1:8000")
    parser.add_argument("--lighthouse", default="lighthouse")
    parser.add_argument("--chrome", default="/usr/bin/chromium")
    args = parser.parse_args()
    base = args.base.rstrip("/")
    perfect = True
    for path in page_paths(base):
        result = audit(args.lighthouse, base + path, args.chrome)
        scores = {name: round(result["categories"][name]["score"] * 100) for name in CATEGORIES}
        print(path, " ".join(f"{name} {score}" for name, score in scores.items()))
        for name in CATEGORIES:
            for ref in result["categories"][name]["auditRefs"]:
                found = result["audits"][ref["id"]]
                if ref["weight"] and found["score"] is not None and found["score"] < 1:
                    print(f"    {found['id']}: {found['title']}")
        perfect &= all(score == 100 for score in scores.values())
    sys.exit(0 if perfect else 1)


if __name__ == "__main__":
    main()
