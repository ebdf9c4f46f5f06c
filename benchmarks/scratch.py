"""A scratch database for a benchmark: created next to DATABASE_URL's (name + suffix), Django
pointed at it and set up, migrated and the tree of bodies loaded."""

from __future__ import annotations

import os

import dj_database_url
import psycopg2


def scratch_database(suffix: str) -> str:
    """Drop and create ``<name>_<suffix>``, point Django at it, migrate, load the tree."""
    base_url = os.environ["DATABASE_URL"]
    config = dj_database_url.parse(base_url)
    name = f"{config['NAME']}_{suffix}"
    admin = psycopg2.connect(host=config["HOST"] or None, port=config["PORT"] or None,
                             user=config["USER"] or None, password=config["PASSWORD"] or None,
                             dbname="postgres")
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()
    os.environ["DATABASE_URL"] = base_url[: base_url.rindex("/") + 1] + name
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lapor.settings")
    os.environ.setdefault("SECRET_KEY", "benchmark")
    os.environ.setdefault("SITE_URL", "http://127.0.0.1:8000")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("load_agency_tree", verbosity=0)
    return name
