"""The evening mix for locust (bench/bench_cluster.py runs it): parents reading their inbox, opening a notice and
logging in, through nginx. RRT_BENCH_ACCOUNTS names a JSON file of [number, notice id] pairs, all with the
password RRT_BENCH_PASSWORD; RRT_BENCH_MIX is `evening`, `login` (logins only) or `healthz` (the floor).
RRT_BENCH_PACE, if set, is each parent's requests a second (a set load instead of a closed loop)."""

from __future__ import annotations

import itertools
import json
import os

from locust import FastHttpUser, constant, constant_throughput, task
from locust.exception import StopUser

ACCOUNTS = json.loads(open(os.environ["RRT_BENCH_ACCOUNTS"]).read())
PASSWORD = os.environ["RRT_BENCH_PASSWORD"]
MIX = os.environ.get("RRT_BENCH_MIX", "evening")
PACE = float(os.environ.get("RRT_BENCH_PACE", "0"))
_next = itertools.cycle(ACCOUNTS)


class Parent(FastHttpUser):
    # A closed loop: each simulated parent sends its next request when the last one is answered, so the rate
    # is what the cluster can serve at this concurrency. With a pace, each sends at that rate (a set load,
    # below what the cluster can serve), so the latencies are the requests' own, not a queue's.
    wait_time = constant_throughput(PACE) if PACE else constant(0)

    def on_start(self):
        self.number, self.notice = next(_next)
        self.token = ""
        if MIX == "evening":
            self.login()
            if not self.token:
                raise StopUser()

    def login(self):
        with self.client.post("/api/v1/auth/login", json={"identifier": self.number, "password": PASSWORD},
                              name="login", catch_response=True) as answer:
            if answer.status_code == 200:
                self.token = answer.json()["token"]
            else:
                answer.failure(f"{answer.status_code} {answer.text[:120]}")

    def get(self, path: str, name: str):
        with self.client.get(path, headers={"Authorization": f"Bearer {self.token}"}, name=name,
                             catch_response=True) as answer:
            if answer.status_code != 200:
                answer.failure(f"{answer.status_code} {answer.text[:120]}")

    def act(self, kind: str):
        if MIX == "healthz":
            self.client.get("/healthz", name="healthz")
        elif MIX == "login" or kind == "login":
            self.login()
        elif kind == "inbox":
            self.get("/api/v1/inbox", "inbox")
        else:
            self.get(f"/api/v1/inbox/{self.notice}", "notice")

    @task(6)
    def inbox(self):
        self.act("inbox")

    @task(3)
    def open_notice(self):
        self.act("notice")

    @task(1)
    def log_in_again(self):
        self.act("login")
