"""Phone page weight: the CSS, JS and fonts a phone downloads for each phone-shell page (issue 12).

    .venv/bin/python bench/static_weight.py      (also run at the end of bench/pages.py)

For each page of the tour (bench/pages.py) that the phone shell renders, the stylesheets and scripts the
HTML names, and the fonts those stylesheets name, are fetched from WhiteNoise as a phone would: with
`Accept-Encoding: gzip`, after `collectstatic` (hashed names, gzip variants). The figures:

  first visit   the bytes on the wire of every asset of the page, with an empty cache; the figure printed
                is the heaviest page's, against a limit of 150 KB;
  second visit  the bytes downloaded again on the next visit: 0 for an asset served with an immutable
                Cache-Control (a hashed name), its full size otherwise.

Prints `phone first visit: <KB> KB | limit: 150 KB | ratio <x.xx>` (ratio below 1: within the limit) and,
on stderr, each asset's size and the second-visit bytes. The HTML itself is not counted.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from urllib.parse import urljoin

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common  # noqa: E402

LIMIT_KB = 150
FONT = re.compile(r"\.(woff2?|ttf|otf|eot)(\?|#|$)")


def assets_of(html: str) -> list[str]:
    found = []
    for tag in re.findall(r"<(?:link|script)\b[^>]*>", html):
        if tag.startswith("<link") and "stylesheet" not in tag:
            continue
        url = re.search(r'(?:href|src)="(/static/[^"]+)"', tag)
        if url and url.group(1) not in found:
            found.append(url.group(1))
    return found


def fetch(client, url: str) -> tuple[int, str, bytes]:
    """(bytes on the wire, Cache-Control, the decoded body) of one static file, as a gzip-capable phone."""
    import gzip

    response = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
    if response.status_code != 200:
        raise SystemExit(f"static weight: {url} answered HTTP {response.status_code}")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    decoded = gzip.decompress(body) if response.get("Content-Encoding") == "gzip" else body
    return len(body), response.get("Cache-Control", ""), decoded


def report(visits, session_for) -> str:
    sizes: dict[str, tuple[int, str]] = {}
    pages: dict[str, list[str]] = {}
    for visit in visits:
        if visit.shell != "phone":
            continue
        client = session_for(visit)
        for path in visit.pages:
            html = client.get(path).content.decode()
            if "weui-tabbar" not in html:
                continue
            urls = assets_of(html)
            for url in list(urls):
                if url not in sizes:
                    wire, cache_control, body = fetch(client, url)
                    sizes[url] = (wire, cache_control)
                    if url.endswith(".css"):
                        for ref in re.findall(r"url\(\s*['\"]?([^'\")]+)", body.decode("utf-8", "replace")):
                            if FONT.search(ref) and not ref.startswith("data:"):
                                urls.append(urljoin(url, ref.split("#")[0]))
            for url in urls:
                if url not in sizes:
                    wire, cache_control, _ = fetch(client, url)
                    sizes[url] = (wire, cache_control)
            pages[f"{visit.label}: {path}"] = urls
    if not pages:
        raise SystemExit("static weight: no phone-shell page in the tour")
    common.say("static weight: the phone shell's assets, gzip as served:")
    for url, (wire, cache_control) in sorted(sizes.items(), key=lambda kv: -kv[1][0]):
        common.say(f"  {wire / 1024:7.1f} KB  {url}  [{cache_control}]")
    first = {page: sum(sizes[u][0] for u in urls) for page, urls in pages.items()}
    second = {page: sum(sizes[u][0] for u in urls if "immutable" not in sizes[u][1]) for page, urls in pages.items()}
    heaviest = max(first, key=first.get)
    kb = first[heaviest] / 1024
    common.say(f"static weight: {len(pages)} phone pages; heaviest first visit {kb:.1f} KB ({heaviest}); "
               f"lightest {min(first.values()) / 1024:.1f} KB; second visit at most {max(second.values())} bytes")
    common.say(f"phone first visit: {kb:.0f} KB (limit {LIMIT_KB} KB)")
    return common.summary("phone first visit", f"{kb:.0f} KB", "limit", f"{LIMIT_KB} KB", kb / LIMIT_KB)


def main() -> int:
    import pages

    with common.bench_environment("weight") as env:
        visits = pages.prepare(env)
        line = report(visits, pages.session_for)
        common.close_db()
    common.emit(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
