"""How right is the learned routing suggestion (``routing.learned``), measured, against the
routing rules alone.

Reads the newest ``--rows`` reports a verifier dispositioned from the database of
DATABASE_URL (a generated national data set: a copy of ``lapor_1m_template``, migrated),
oldest first, with the service's own query (``routing.services.learning.training_set``);
fits the pipeline on the older ``1 - --held-out`` share and measures on the newest share
(time order, no shuffle):

- top-1 and top-3: the label's body is the model's first / among its three suggestions;
- the rules alone: the body the most specific active rule suggests (rules give one body, so
  their top-3 is their top-1), and how many of the held-out reports any rule covers;
- a baseline without words: the most frequent label of the report's category in the
  training rows (relative to the place, like the model's), to show what the text adds;
- fit time, reading time, the stored (joblib, compressed) size, the process's peak memory,
  and the prediction latency per report (one report at a time, as the verifier's page asks,
  p50/p95 over ``--latency`` reports).

Labels: "final" (the body after the last redirect, what the service trains on) and "first"
(the verifier's own choice). Run:

    DATABASE_URL=postgres://…/lapor_learned_bench .venv/bin/python -m benchmarks.routing_accuracy \\
        [--rows 250000] [--held-out 0.2] [--label final] [--chars] [--alpha 1e-4] [--service]

``--service`` also times ``learning.train(limit=--rows)`` end to end (measure, refit on every
row, store), as the nightly task runs it. Prints one JSON line of figures at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import sys
import time
from collections import Counter, defaultdict


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=250_000)
    parser.add_argument("--held-out", type=float, default=0.2)
    parser.add_argument("--label", choices=("final", "first"), default="final")
    parser.add_argument("--chars", action="store_true", help="character n-grams too")
    parser.add_argument("--alpha", type=float, default=1e-4)
    parser.add_argument("--latency", type=int, default=1000)
    parser.add_argument("--service", action="store_true")
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lapor.settings")
    import django

    django.setup()
    from routing import learned
    from routing.services import learning

    figures: dict[str, object] = {"rows_asked": args.rows, "label": args.label,
                                  "chars": args.chars, "alpha": args.alpha}
    t0 = time.monotonic()
    data = learning.training_set(args.rows, label=args.label)
    figures["read_seconds"] = round(time.monotonic() - t0, 1)
    governments = learned.region_governments()
    older, newest = learning.split(data, args.held_out)
    labels = learning.labels_of(older, governments)
    figures.update(train_rows=len(older.rows), test_rows=len(newest.rows),
                   classes=len(set(labels)),
                   relative_share=round(sum(lb.startswith("@") for lb in labels)
                                        / max(len(labels), 1), 3))
    print(f"read {len(data.rows):,} rows in {figures['read_seconds']} s; train "
          f"{len(older.rows):,}, test {len(newest.rows):,}, {figures['classes']} classes",
          flush=True)

    t0 = time.monotonic()
    pipeline = learned.fit(older.rows, labels, chars=args.chars, alpha=args.alpha)
    figures["fit_seconds"] = round(time.monotonic() - t0, 1)
    print(f"fitted in {figures['fit_seconds']} s", flush=True)
    blob = learned.dump(pipeline)
    figures["model_bytes"] = len(blob)

    t0 = time.monotonic()
    measured = learning.evaluate(pipeline, newest, governments)
    figures["evaluate_seconds"] = round(time.monotonic() - t0, 1)
    figures.update(top1=round(measured.top1, 4), top3=round(measured.top3, 4),
                   rules_top1=round(measured.rules_top1, 4),
                   rules_coverage=round(measured.rules_coverage, 4))
    covered = [(b, r) for b, r in zip(newest.bodies, newest.rule_bodies, strict=True)
               if r is not None]
    figures["rules_top1_where_a_rule_applies"] = (
        round(sum(b == r for b, r in covered) / len(covered), 4) if covered else None)

    # Without words: the most frequent label of the category in the training rows.
    by_category: dict[int | None, Counter[str]] = defaultdict(Counter)
    for row, label in zip(older.rows, labels, strict=True):
        by_category[row.category_id][label] += 1
    hits1 = hits3 = 0
    for row, body in zip(newest.rows, newest.bodies, strict=True):
        common = [lb for lb, _n in by_category[row.category_id].most_common(3)]
        bodies = [learned.body_of(lb, row, governments) for lb in common]
        hits1 += bool(bodies) and bodies[0] == body
        hits3 += body in bodies
    n = max(len(newest.rows), 1)
    figures.update(category_prior_top1=round(hits1 / n, 4),
                   category_prior_top3=round(hits3 / n, 4))

    # Latency: one report at a time, as the verifier's page asks.
    sample = newest.rows[: args.latency]
    times = []
    for row in sample:
        t0 = time.perf_counter()
        learned.ranked(pipeline, [row], governments)
        times.append(time.perf_counter() - t0)
    if times:
        times.sort()
        figures["predict_ms_p50"] = round(1000 * statistics.median(times), 2)
        figures["predict_ms_p95"] = round(1000 * times[int(0.95 * (len(times) - 1))], 2)
    figures["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)

    if args.service:
        t0 = time.monotonic()
        model = learning.train(limit=args.rows, held_out=args.held_out)
        figures["service_train_seconds"] = round(time.monotonic() - t0, 1)
        figures["service_version"] = model.version if model else None
        figures["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
                                       / 1024)
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
