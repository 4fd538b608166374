"""The production topology of `make cluster` (scripts/cluster.py), started once for these tests in a folder and
on ports of their own, and destroyed after. The drills run in order in one process (`make test` runs this folder
apart from the parallel suite): they share one cluster and the last of them fails its primary over."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pytest
import requests

from tests.browser import conftest as _browser

# The drill with a real browser uses the browser tests' Chromium.
browser, chromium_executable = _browser.browser, _browser.chromium_executable

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = [sys.executable, str(ROOT / "scripts" / "cluster.py")]
NEEDS = ["nginx", "pgbouncer", "pg_basebackup", "redis-server"]


@dataclass
class Cluster:
    dir: Path

    @cached_property
    def url(self) -> str:
        return self.status()["url"].rstrip("/")

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        return subprocess.run([*SCRIPT, "--dir", str(self.dir), *args], cwd=ROOT,
                              capture_output=True, text=True, check=check, timeout=600)

    def status(self) -> dict:
        return json.loads(self.run("status", "--json").stdout)

    def sql(self, query: str, server: str = "primary") -> str:
        """A query as the superuser (what an operator would run) on the primary now, or on another server of
        `status`'s ports ("replica", "restored")."""
        port = self.status()["ports"][server]
        return subprocess.run(["psql", "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "-d", "rrt", "-Atqc",
                               query], capture_output=True, text=True, check=True).stdout.strip()

    def logins(self) -> dict[str, tuple[str, str]]:
        """The demo region's logins by role, as `demo_logins` prints them."""
        out = self.run("manage", "demo_logins").stdout
        found = re.findall(r"^\s{2}(\S.*?)\s{2,}\S+\s+login: (\S+)\s+password: (\S+)", out, re.M)
        return {role.strip(): (login, password) for role, login, password in found}

    def api(self, method: str, path: str, token: str | None = None, **kwargs) -> requests.Response:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return requests.request(method, self.url + path, headers=headers, timeout=30, **kwargs)

    def token(self, role: str, kind: str) -> str:
        login, password = self.logins()[role]
        body = self.api("POST", "/api/v1/auth/login", json={"identifier": login, "password": password}).json()
        identity = next(i["id"] for i in body["identities"] if i["kind"] == kind)
        switched = self.api("POST", "/api/v1/me/identity", body["token"], json={"identity_id": identity})
        assert switched.status_code == 200, switched.text
        return body["token"]


@pytest.fixture(scope="session")
def cluster():
    missing = [tool for tool in NEEDS if not (shutil.which(tool) or Path(f"/usr/sbin/{tool}").exists())]
    if missing and os.geteuid() != 0:
        if os.environ.get("CI"):
            pytest.fail(f"the cluster drills need {missing} (apt-get install them) and may not be skipped in CI")
        pytest.skip(f"the cluster drills need {missing}")
    # Under /tmp, readable by the postgres and www-data accounts the servers run as (pytest's own tmp is 0700).
    directory = Path(tempfile.mkdtemp(prefix="rrt-cluster-"))
    directory.chmod(0o755)
    c = Cluster(directory)
    started = c.run("--port", "0", "start", "--web", "2", "--workers", "2", check=False)
    if started.returncode != 0:
        logs = "\n".join(f"== {p.name}\n{p.read_text(errors='replace')[-1500:]}"
                         for p in sorted((directory / "logs").glob("*.log")))
        c.run("destroy", check=False)
        pytest.fail(f"make cluster failed:\n{started.stdout[-3000:]}\n{started.stderr[-3000:]}\n{logs}")
    yield c
    c.run("destroy", check=False)
