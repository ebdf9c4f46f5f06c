"""/data-terbuka/ (namespace "opendata"): the daily open data set, the latest day and the days
kept before it, with sizes, rows, the licence and the data dictionary; each file downloads
from its day (``/data-terbuka/YYYY-MM-DD/reports.csv``) or as the latest
(``/data-terbuka/terbaru/reports.csv``). Files are only those a day's manifest names."""

from __future__ import annotations

from datetime import date, datetime

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from lapor.file_responses import public_file_response
from routing import opendata, opendata_files

# The reader opens these in the browser; every other file downloads.
# The files most people want first on the page.
_ORDER = [opendata_files.REPORTS_CSV, opendata_files.REPORTS_NDJSON, "data-dictionary.csv",
          "data-dictionary.json", "LICENSE.txt"]
_INLINE = {"LICENSE.txt", opendata_files.MANIFEST, "data-dictionary.json"}


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    sets = opendata_files.data_sets()
    for s in sets:
        s["as_of_at"] = datetime.fromisoformat(s["as_of"])
        s["files"].sort(key=lambda f: (_ORDER.index(f["name"]) if f["name"] in _ORDER
                                       else len(_ORDER), f["name"]))
    return render(request, "routing/open_data.html", {
        "latest": sets[0] if sets else None, "earlier": sets[1:],
        "columns": opendata.COLUMNS, "licence": opendata.LICENCE,
        "licence_name": opendata.LICENCE_NAME, "licence_url": opendata.LICENCE_URL,
    })


@require_GET
def download(request: HttpRequest, day: str, name: str) -> FileResponse:
    try:
        the_day = date.fromisoformat(day)
    except ValueError as exc:
        raise Http404 from exc
    path = opendata_files.file_of(the_day, name)
    if path is None:
        raise Http404
    return public_file_response(
        path, content_type=opendata_files.content_type(name),
        filename=f"lapor-data-terbuka-{day}-{name}", as_attachment=name not in _INLINE,
    )


@require_GET
def latest(request: HttpRequest, name: str) -> HttpResponse:
    """The newest day's file: a stable address for scripts (a redirect, so the file's own
    address says which day it is)."""
    sets = opendata_files.data_sets()
    if not sets:
        raise Http404
    day = sets[0]["date"]
    if opendata_files.file_of(date.fromisoformat(day), name) is None:
        raise Http404
    return redirect("opendata:download", day=day, name=name)
