"""Generated national data sets for benchmarks (``python -m benchmarks.generate_reports``).

``run`` orchestrates; ``world`` reads what exists (regions, bodies, rules, policies, staff);
``people`` makes the accounts; ``lifecycle`` acts out each report's life as the services
would have written it; ``tables`` and ``rows`` turn it into COPY lines; ``bulk`` streams them
and sets indexes and foreign keys aside during the load; ``places`` and ``texts`` are data.
"""
