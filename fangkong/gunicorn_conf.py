"""gunicorn's settings for the web service, in one place for docs/deploy.md and the gate bench:

    gunicorn -c python:fangkong.gunicorn_conf fangkong.wsgi:application --bind 127.0.0.1:8000

Options given on the command line take precedence over these.
"""

from __future__ import annotations

import os


def cores() -> int:
    """The CPUs this process may run on (a container's or systemd's CPU set included)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


# Sync workers, 2 × cores + 1 (gunicorn's recommendation). A sync worker serves one request
# at a time and waits, idle, while PostgreSQL flushes a gate check's commit to disk: with
# one worker per core a quarter of the CPU stood idle in the gate bench (bench/gate_check.py).
# WEB_CONCURRENCY, gunicorn's own variable, sets another number.
workers = int(os.environ.get("WEB_CONCURRENCY") or 2 * cores() + 1)
timeout = 120  # an export or a report build may take that long; the gate check takes ms

# A worker is replaced after this many requests, a guard against slow leaks. Starting one
# costs about 0.6 s of CPU (importing Django and the apps, then a database connection), and
# at the gates' morning rush a worker serves hundreds of requests a second. With 2,000,
# the gate bench spent much of its CPU starting workers: in two runs the gate check fell
# from about 2,300 to 1,400 and 140 req/s, and its p99 rose from 6 ms to 0.3–0.6 s. With
# 100,000 a busy worker is replaced every few minutes; the jitter keeps the workers from
# restarting all at once.
max_requests = 100_000
max_requests_jitter = 10_000
