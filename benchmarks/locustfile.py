"""Legal staff at work on the scale world: mostly reading pages, some writes through the forms.

Run by `benchmarks/scale.py` (locust headless); it writes BENCH_TARGETS, a JSON file of ids to act
on (holders, open positions, series, allottees, holdings with rights), and BENCH_SESSION, the
cookies of a session it signed in through /login/, which every simulated user shares (signing 20
users in on two workers would spend the minute hashing passwords); without it each user signs in
with BENCH_USER / BENCH_PASSWORD.
Production settings on plain HTTP over loopback: each request says it came through the TLS proxy,
and the Secure cookies are sent back (benchmarks/scale/web.py). A response of 400 or more, or none,
is a failure; a form shown again with its errors (200 after a POST) is the app refusing bad input,
which counts as a response like any other.
"""

from __future__ import annotations

import json
import os
import random
from datetime import date, timedelta

from locust import HttpUser, between, task

TARGETS = json.loads(open(os.environ["BENCH_TARGETS"]).read()) if os.environ.get("BENCH_TARGETS") else {}  # noqa: SIM115
POSITIONS = list(TARGETS.get("open_positions", []))
TODAY = date.today()
HEADERS = {"X-Forwarded-Proto": "https"}
SESSION = json.loads(os.environ.get("BENCH_SESSION") or "{}")
# Seconds a person spends on a page before the next click, "low,high" (benchmarks/README.md, "Load").
THINK = tuple(float(s) for s in os.environ.get("BENCH_THINK", "3,10").split(","))


class LegalStaff(HttpUser):
    wait_time = between(*THINK)

    def on_start(self) -> None:
        self.rng = random.Random()
        self.headers = {**HEADERS, "Referer": self.host.replace("http:", "https:") + "/"}
        if SESSION:  # signed in once by the benchmark: the load is the pages, not password hashing
            for name, value in SESSION.items():
                self.client.cookies.set(name, value)
        else:
            self._get("/login/", "/login/")
            self._post(
                "/login/",
                {"username": os.environ["BENCH_USER"], "password": os.environ["BENCH_PASSWORD"]},
                "/login/ (sign in)",
            )
        # People do not all open their first page in the same second: each starts after one think time.
        self.wait()

    def _cookies(self) -> None:
        for cookie in self.client.cookies:
            cookie.secure = False

    def _get(self, path: str, name: str) -> None:
        with self.client.get(path, headers=self.headers, name=name, catch_response=True) as response:
            if response.status_code >= 400:
                response.failure(f"HTTP {response.status_code}")
        self._cookies()

    def _post(self, path: str, data: dict, name: str) -> None:
        data = {"csrfmiddlewaretoken": self.client.cookies.get("csrftoken", ""), **data}
        with self.client.post(
            path, data=data, headers=self.headers, name=name, allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code >= 400:
                response.failure(f"HTTP {response.status_code}")
        self._cookies()

    def _pick(self, key: str):
        values = TARGETS.get(key) or [None]
        return self.rng.choice(values)

    @task(6)
    def register(self) -> None:
        as_of = TODAY - timedelta(days=self.rng.choice([0, 0, 90, 365, 1500]))
        self._get(f"/register/?as_of={as_of.isoformat()}", "/register/?as_of=")

    @task(5)
    def holders(self) -> None:
        self._get("/holders/", "/holders/")

    @task(5)
    def holder(self) -> None:
        self._get(f"/holders/{self._pick('holders')}/", "/holders/<id>/")

    @task(4)
    def series(self) -> None:
        self._get(f"/series/{self._pick('series')}/", "/series/<id>/")

    @task(4)
    def audit(self) -> None:
        page = self.rng.choice([1, 1, 1, 2, 10, 100])
        self._get(f"/audit/?page={page}", "/audit/?page=")

    @task(3)
    def dashboard(self) -> None:
        self._get("/dashboard/", "/dashboard/")

    @task(1)
    def address_change(self) -> None:
        holder = self._pick("holders")
        day = TODAY - timedelta(days=self.rng.randint(0, 60))
        self._post(
            f"/holders/{holder}/address/",
            {"address": f"{self.rng.randint(1, 99)}-1 Marunouchi, Tokyo", "valid_from": day.isoformat()},
            "POST /holders/<id>/address/",
        )

    @task(1)
    def allotment(self) -> None:
        series, holder, category = self._pick("allotments") or (None, None, "director")
        self._post(
            f"/series/{series}/allot/",
            {"holder": holder, "category": category, "rights": self.rng.randint(1, 5) * 10},
            "POST /series/<id>/allot/",
        )

    @task(1)
    def departure(self) -> None:
        if not POSITIONS:
            return
        holder, position = POSITIONS.pop()
        self._post(
            f"/rights/holder/{holder}/end-position/",
            {"position": position, "ended_on": TODAY.isoformat(), "reason": "resigned"},
            "POST /rights/holder/<id>/end-position/",
        )

    @task(1)
    def transfer_request(self) -> None:
        holding, rights = self._pick("holdings") or (None, 1)
        self._post(
            f"/rights/holding/{holding}/transfer/",
            {
                "transferee": self._pick("holders"),
                "rights": max(1, rights // 10),
                "requested_on": TODAY.isoformat(),
            },
            "POST /rights/holding/<id>/transfer/",
        )
