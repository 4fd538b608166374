"""Static files in production: content-hashed names, gzip variants and a one-year immutable Cache-Control
(WhiteNoise after `collectstatic`, docs/operations.md). Development and tests use the plain storage."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.http import HttpResponse
from django.templatetags.static import static
from django.test import RequestFactory
from whitenoise.middleware import WhiteNoiseMiddleware

ROOT = Path(__file__).resolve().parents[2]
MANIFEST = "renrentong.core.web.static.GzipManifestStaticFilesStorage"


@pytest.fixture
def served(tmp_path, settings):
    """collectstatic into a temporary STATIC_ROOT with the production storage; the middleware serving it."""
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": MANIFEST}}
    settings.WHITENOISE_AUTOREFRESH = False
    settings.WHITENOISE_USE_FINDERS = False
    call_command("collectstatic", interactive=False, verbosity=0)
    return WhiteNoiseMiddleware(get_response=lambda request: HttpResponse("not static", status=404))


def _get(middleware, url: str, **headers):
    response = middleware(RequestFactory().get(url, **headers))
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response, body


def test_a_hashed_file_is_cached_for_a_year_as_immutable_and_has_a_gzip_variant(served, settings):
    url = static("css/app.css")
    assert re.fullmatch(r"/static/css/app\.[0-9a-f]{12}\.css", url), url
    plain = (ROOT / "renrentong" / "static" / "css" / "app.css").read_bytes()

    response, body = _get(served, url, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert response.status_code == 200
    assert response["Cache-Control"] == "max-age=31536000, public, immutable"
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    assert 0 < len(body) < len(plain)
    assert (Path(settings.STATIC_ROOT) / (url.removeprefix("/static/") + ".gz")).is_file()
    # gzip only, as nginx's gzip_static serves it, even where the brotli package is installed (locust brings it).
    assert not list(Path(settings.STATIC_ROOT).rglob("*.br"))

    # A client without gzip gets the file itself, with the same caching.
    response, body = _get(served, url)
    assert response.status_code == 200
    assert "Content-Encoding" not in response
    assert body == plain
    assert response["Cache-Control"] == "max-age=31536000, public, immutable"


def test_an_unhashed_name_is_not_cached_for_long(served):
    response, _ = _get(served, "/static/css/app.css")
    assert response.status_code == 200
    assert "immutable" not in response["Cache-Control"]


def test_pages_name_the_hashed_files(served, client, settings):
    response = client.get("/accounts/login/")
    html = response.content.decode()
    assert response.status_code == 200
    for link in re.findall(r'(?:href|src)="(/static/[^"]+)"', html):
        assert re.search(r"\.[0-9a-f]{12}\.\w+$", link), link


def _storage_with(**env) -> str:
    environment = {**os.environ, "SECRET_KEY": "test-only-secret", "RRT_VAR_DIR": os.environ.get("RRT_VAR_DIR", ""),
                   **env}
    environment = {k: v for k, v in environment.items() if v != ""}
    code = "import renrentong.settings as s; print(s.STORAGES['staticfiles']['BACKEND']); print(s.MIDDLEWARE[1])"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True,
                         check=True).stdout.split()
    assert out[1] == "whitenoise.middleware.WhiteNoiseMiddleware"  # right after SecurityMiddleware
    return out[0]


def test_production_collects_hashed_files_and_development_serves_the_sources():
    assert _storage_with(DEBUG="0") == MANIFEST
    assert _storage_with(DEBUG="1") == "django.contrib.staticfiles.storage.StaticFilesStorage"
