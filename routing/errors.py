"""Errors of staff actions on reports, with messages to show as they are."""

from __future__ import annotations

from django.utils.translation import gettext as _

from lapor.errors import Invalid, Stale


class StaleReport(Stale):
    """Someone else changed the report since the page was opened; ``changes`` lists what
    happened (event labels with the acting body), so the user can decide again."""

    def __init__(self, changes: list[str]) -> None:
        summary = "; ".join(changes) if changes else _("statusnya berubah")
        super().__init__(
            _("Laporan ini baru saja diubah oleh orang lain: %(changes)s. Periksa lalu ulangi; "
              "teks Anda masih ada di formulir.") % {"changes": summary}
        )
        self.changes = changes


class RedirectReturns(Invalid):
    """The redirect would send the report back to a body it already left."""

    def __init__(self, body_name: str, path: list[str]) -> None:
        super().__init__(
            _("Laporan ini pernah dipegang %(body)s dan dialihkan dari sana. Jalurnya: "
              "%(path)s. Centang konfirmasi bila tetap ingin mengembalikannya.")
            % {"body": body_name, "path": " → ".join(path)},
            field="confirm_return",
        )
        self.path = path
