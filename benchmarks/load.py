"""A small closed-loop HTTP load generator: N threads, each with its own keep-alive
connection, each running an operation (one or more requests) back to back for a fixed time.

Threads and http.client are enough for the few hundred operations a second measured here; the
generator runs on the same 2-core machine as the server, so its own CPU use is reported too.
"""

from __future__ import annotations

import http.client
import json
import math
import os
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0..100), nearest-rank; NaN for no values."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]


class Client:
    """One keep-alive connection to the server, reopened when the server closes it."""

    def __init__(self, host: str, port: int, headers: dict[str, str] | None = None) -> None:
        self.host, self.port = host, port
        self.headers = headers or {}
        self.connection = http.client.HTTPConnection(host, port, timeout=60)

    def request(self, method: str, path: str, body: bytes | None = None,
                headers: dict[str, str] | None = None) -> tuple[int, bytes]:
        all_headers = {**self.headers, **(headers or {})}
        for attempt in (1, 2):
            try:
                self.connection.request(method, path, body=body, headers=all_headers)
                response = self.connection.getresponse()
                return response.status, response.read()
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.connection.close()
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def json(self, method: str, path: str, payload: Any,
             headers: dict[str, str] | None = None) -> tuple[int, Any]:
        status, body = self.request(
            method, path, json.dumps(payload).encode(),
            {"Content-Type": "application/json", **(headers or {})},
        )
        try:
            return status, json.loads(body) if body else None
        except ValueError:
            return status, body[:200]

    def close(self) -> None:
        self.connection.close()


def multipart(fields: dict[str, str], files: dict[str, tuple[str, str, bytes]]
              ) -> tuple[bytes, str]:
    """A multipart/form-data body and its content type."""
    boundary = uuid.uuid4().hex
    parts: list[bytes] = []
    for name, value in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                     f"{value}\r\n".encode())
    for name, (filename, content_type, data) in files.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\nContent-Type: {content_type}\r\n\r\n'.encode()
            + data + b"\r\n"
        )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


@dataclass
class LoadResult:
    operations: int = 0
    errors: int = 0
    seconds: float = 0.0
    latencies_ms: list[float] = field(default_factory=list)
    first_error: str = ""
    generator_cpu_seconds: float = 0.0
    started: int = 0  # operation numbers taken (the next run goes on from first + started)

    @property
    def per_second(self) -> float:
        return self.operations / self.seconds if self.seconds else 0.0

    def p(self, q: float) -> float:
        return percentile(self.latencies_ms, q)


def run_load(operation: Callable[[Client, int], None], *, host: str, port: int,
             concurrency: int, seconds: float, warmup: float = 2.0, first: int = 0
             ) -> LoadResult:
    """Run ``operation(client, n)`` from ``concurrency`` threads for ``warmup`` + ``seconds``;
    count only what completes in the measured window. An operation raises to count an error.
    ``n`` counts from ``first`` (runs one after another go on where the last stopped, so no
    citizen or address is used more than its share)."""
    result = LoadResult()
    lock = threading.Lock()
    start_at = time.perf_counter() + warmup
    stop_at = start_at + seconds
    counter = iter(range(first, 10**9))

    def worker() -> None:
        client = Client(host, port)
        try:
            while True:
                t0 = time.perf_counter()
                if t0 >= stop_at:
                    return
                with lock:
                    n = next(counter)
                try:
                    operation(client, n)
                    failed = ""
                except Exception as exc:  # noqa: BLE001 - any failure is an error to count
                    failed = f"{type(exc).__name__}: {exc}"[:300]
                    client.close()
                t1 = time.perf_counter()
                if t0 >= start_at and t1 <= stop_at:
                    with lock:
                        if failed:
                            result.errors += 1
                            result.first_error = result.first_error or failed
                        else:
                            result.operations += 1
                            result.latencies_ms.append((t1 - t0) * 1000)
        finally:
            client.close()

    cpu0 = os.times()
    threads = [threading.Thread(target=worker, daemon=True) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    cpu1 = os.times()
    result.seconds = seconds
    result.generator_cpu_seconds = (cpu1.user - cpu0.user) + (cpu1.system - cpu0.system)
    result.started = next(counter) - first
    return result


def expect(status: int, wanted: int, body: Any) -> None:
    if status != wanted:
        raise RuntimeError(f"HTTP {status} (wanted {wanted}): {str(body)[:200]}")


@dataclass
class OpenLoopResult(LoadResult):
    """An open-loop run: ``latencies_ms`` from each operation's scheduled arrival to its end
    (so a wait for a free client counts, no coordinated omission); ``steps`` the per-step
    times an operation returned; ``late`` the operations that started over 10 ms after their
    arrival (the generator's clients were all busy); ``offered`` the arrival rate asked."""

    offered: float = 0.0
    arrivals: int = 0
    late: int = 0
    completed_in_window: int = 0  # operations (of any arrival) that ended in the window
    steps: dict[str, list[float]] = field(default_factory=dict)

    @property
    def arrived_per_second(self) -> float:
        return self.arrivals / self.seconds if self.seconds else 0.0

    @property
    def completed_per_second(self) -> float:
        return self.completed_in_window / self.seconds if self.seconds else 0.0


def arrival_times(rate: float, seconds: float, *, poisson: bool = True,
                  seed: int = 16) -> list[float]:
    """Arrival offsets (s) in ``[0, seconds)`` at ``rate`` per second: a Poisson process
    (exponential gaps, seeded) or, with ``poisson=False``, evenly spaced."""
    import random

    rng = random.Random(seed)
    times: list[float] = []
    t = rng.expovariate(rate) if poisson else 0.0
    while t < seconds:
        times.append(t)
        t += rng.expovariate(rate) if poisson else 1.0 / rate
    return times


def run_open_loop(operation: Callable[[Client, int], dict[str, float] | None], *, host: str,
                  port: int, rate: float, seconds: float, warmup: float = 2.0,
                  clients: int = 64, poisson: bool = True, first: int = 0,
                  seed: int = 16) -> OpenLoopResult:
    """Start ``operation(client, n)`` at ``rate`` arrivals a second (Poisson, or evenly
    spaced) for ``warmup`` + ``seconds``, whatever the earlier ones' progress, on a pool of
    ``clients`` keep-alive connections; count the operations that arrive in the measured
    window (all of them are waited for). ``n`` counts from ``first``. An operation raises to
    count an error and may return ``{step: ms}`` to time its parts."""
    import queue

    result = OpenLoopResult(offered=rate)
    lock = threading.Lock()
    schedule = arrival_times(rate, warmup + seconds, poisson=poisson, seed=seed)
    jobs: queue.Queue[tuple[int, float, bool] | None] = queue.Queue()

    def worker() -> None:
        client = Client(host, port)
        try:
            while (job := jobs.get()) is not None:
                n, due, measured = job
                started = time.perf_counter()
                try:
                    steps = operation(client, n) or {}
                    failed = ""
                except Exception as exc:  # noqa: BLE001 - any failure is an error to count
                    steps, failed = {}, f"{type(exc).__name__}: {exc}"[:300]
                    client.close()
                ended = time.perf_counter()
                with lock:
                    result.completed_in_window += (not failed and window[0] <= ended
                                                   < window[1])
                if not measured:
                    continue
                with lock:
                    result.late += started - due > 0.010
                    if failed:
                        result.errors += 1
                        result.first_error = result.first_error or failed
                    else:
                        result.operations += 1
                        result.latencies_ms.append((ended - due) * 1000)
                        for step, ms in steps.items():
                            result.steps.setdefault(step, []).append(ms)
        finally:
            client.close()

    cpu0 = os.times()
    threads = [threading.Thread(target=worker, daemon=True) for _ in range(clients)]
    for thread in threads:
        thread.start()
    origin = time.perf_counter()
    window = (origin + warmup, origin + warmup + seconds)
    for i, offset in enumerate(schedule):
        delay = origin + offset - time.perf_counter()
        if delay > 0:
            time.sleep(delay)
        measured = offset >= warmup
        result.arrivals += measured
        jobs.put((first + i, origin + offset, measured))
    for _ in threads:
        jobs.put(None)
    for thread in threads:
        thread.join()
    cpu1 = os.times()
    result.seconds = seconds
    result.generator_cpu_seconds = (cpu1.user - cpu0.user) + (cpu1.system - cpu0.system)
    return result


def process_cpu_seconds(pids: list[int]) -> float:
    """User + system CPU seconds the processes have used so far (Linux /proc; a process
    gone is counted 0)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for pid in pids:
        try:
            fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / ticks  # utime, stime
    return total
