"""``python -m benchmarks.cpu_split [--seconds 20] [--scenario filing]``: where a filing
scenario's CPU goes, by process, on the national database (as ``python -m benchmarks``
prepares it; run that once with ``--reuse`` first). Starts the same servers (gunicorn, the
Celery worker at nice 10), runs one closed-loop scenario of ``benchmarks.national`` and reads
/proc before and after: CPU seconds per operation of the web workers, the Celery worker,
PostgreSQL's backends and this load generator. The figures say which process a cut must come
from (a one-INSERT baseline is the reference: ``--scenario baseline``)."""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

TICKS = os.sysconf("SC_CLK_TCK")


def _cpu_of(pid: int) -> float:
    """utime + stime of one process, in seconds (0 if it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICKS


def _tree(pid: int) -> list[int]:
    from benchmarks.national import _children

    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        try:
            todo.extend(_children(current))
        except OSError:
            continue
    return found


def _postgres_pids() -> list[int]:
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if (entry / "comm").read_text().strip() == "postgres":
                    pids.append(int(entry.name))
            except OSError:
                continue
    return pids


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--web-workers", type=int, default=4)
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument("--scenario", action="append", default=None,
                        help="a scenario of benchmarks.national.filing_scenarios (repeatable)")
    args = parser.parse_args(argv)
    from benchmarks import national
    from benchmarks.load import run_load

    base_url, national_url = national._database_urls()
    env = {**os.environ, "DATABASE_URL": national_url, "DEBUG": "false", "HTTPS": "false",
           "ALLOWED_HOSTS": "127.0.0.1,localhost", "TRUST_X_FORWARDED_FOR": "true",
           "CACHE_KEY_PREFIX": f"cpusplit{int(time.time())}",
           "SECRET_KEY": os.environ.get("SECRET_KEY", "benchmark"),
           "SITE_URL": os.environ.get("SITE_URL", f"http://127.0.0.1:{args.port}"),
           "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend"}
    os.environ.update({k: env[k] for k in ("DATABASE_URL", "SECRET_KEY", "SITE_URL",
                                            "ALLOWED_HOSTS", "CACHE_KEY_PREFIX")})
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lapor.settings")
    import django

    django.setup()
    actors = national.prepare_actors(citizens=2000)
    servers = national.Servers(env, args.port, args.web_workers)
    try:
        servers.start()
        if not national.worker_answers():
            raise SystemExit("the Celery worker does not answer")
        scenarios = national.filing_scenarios(actors, national.photo_bytes(),
                                              national.similar_shown(args.port, actors))
        web, worker = servers.processes
        for name in args.scenario or ["baseline", "filing"]:
            groups = {"web": lambda: _tree(web.pid), "celery": lambda: _tree(worker.pid),
                      "postgres": _postgres_pids, "load generator": lambda: [os.getpid()]}
            before = {g: {p: _cpu_of(p) for p in pids()} for g, pids in groups.items()}
            wall = time.perf_counter()
            result = run_load(scenarios[name], host="127.0.0.1", port=args.port,
                              concurrency=args.concurrency, seconds=args.seconds, warmup=0.0)
            time.sleep(3)  # the worker's share of what the load queued
            wall = time.perf_counter() - wall
            after = {g: {p: _cpu_of(p) for p in pids()} for g, pids in groups.items()}
            ops = max(1, result.operations)
            print(f"{name}: {result.per_second:.1f}/s over {args.seconds:.0f} s, "
                  f"{result.errors} errors; CPU ms per operation (wall {wall:.0f} s incl. "
                  "3 s after the load):")
            total = 0.0
            for group in groups:
                seconds = sum(after[group].get(p, 0.0) - before[group].get(p, 0.0)
                              for p in after[group])
                total += seconds
                print(f"  {group:15} {seconds * 1000 / ops:7.2f} ms")
            print(f"  {'all':15} {total * 1000 / ops:7.2f} ms")
            if name == "filing_with_similar_check" and national.HELD_BACK:
                held = sum(national.HELD_BACK)
                print(f"  held back (409, sent again): {held} of {len(national.HELD_BACK)}")
    finally:
        servers.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
