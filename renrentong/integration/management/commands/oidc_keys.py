"""`manage.py oidc_keys list|rotate|prune`: the OpenID Connect signing keys in RRT_OIDC_KEY_DIR (docs/oidc.md).

rotate makes a new key, which signs once the web processes restart; the old one stays published until the ID
tokens it signed have expired, then prune (or the next rotate) deletes it."""

from __future__ import annotations

import time

from django.conf import settings
from django.core.management.base import BaseCommand
from jwcrypto import jwk

from renrentong.integration import keys


class Command(BaseCommand):
    help = "List, rotate or prune the OpenID Connect signing keys."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["list", "rotate", "prune"])

    def handle(self, *args, action, **options):
        directory, lifetime = settings.OIDC_KEY_DIR, settings.OIDC_ID_TOKEN_SECONDS
        if action == "rotate":
            made = keys.create_key(directory)
            self.stdout.write(f"made {made.name}; restart the web processes so that it signs")
        if action in ("rotate", "prune"):
            for gone in keys.prune(directory, lifetime):
                self.stdout.write(f"deleted {gone.name}: every ID token it signed has expired")
        files = keys.key_files(directory)
        active, published = keys.load_keys(directory, lifetime, create=False)
        for path in files:
            pem = path.read_text()
            kid = jwk.JWK.from_pem(pem.encode()).thumbprint()
            state = "signs" if pem == active else ("published" if pem in published else "retired")
            made = time.strftime("%Y-%m-%d %H:%M", time.gmtime(path.stat().st_mtime))
            self.stdout.write(f"{path.name}  kid={kid}  {state}  made {made} UTC")
