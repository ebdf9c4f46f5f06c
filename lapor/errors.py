"""The domain's errors, one class per kind, each knowing what HTTP says about it (Zulip's
``JsonableError`` subclasses). Services raise them with a sentence in the user's language and,
where one field is at fault, its name; ``lapor.api_errors`` turns them into API responses and
``lapor.page_errors`` into form errors or error pages. No view maps an error by hand.

    Invalid      400  the input breaks a rule (with its field, or several: ``errors``)
    NotAllowed   403  this person may not do this (404 where existence itself is private)
    Absent       404  what the act needs does not exist
    Stale        409  someone else changed it since it was read (says what changed)
    TooMany      429  too many attempts (says when to try again: ``retry_after``)
    Unavailable  503  a part the act needs is down for now (try again later)
"""

from __future__ import annotations


class DomainError(Exception):
    """A rule was broken; ``str(error)`` is a sentence to show as it is."""

    status = 400
    code = "invalid"

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field
        # What the API answer carries besides the message (e.g. the draft that was kept).
        self.details: dict[str, object] = {}

    @property
    def message(self) -> str:
        return str(self)


class Invalid(DomainError):
    """The input breaks a rule. ``errors`` maps each wrong field to its message when several
    are wrong at once (a report that cannot be submitted yet)."""

    def __init__(self, message: str, field: str | None = None,
                 errors: dict[str, str] | None = None) -> None:
        super().__init__(message, field)
        self.errors = errors or ({field: message} if field else {})

    @classmethod
    def of_fields(cls, errors: dict[str, str]) -> Invalid:
        field, message = next(iter(errors.items()))
        return cls(message, field, errors)


class NotAllowed(DomainError):
    status = 403
    code = "not_allowed"


class Absent(DomainError):
    status = 404
    code = "absent"


class Stale(DomainError):
    """Someone else changed the thing since the person read it."""

    status = 409
    code = "stale"


class TooMany(DomainError):
    status = 429
    code = "rate_limited"

    def __init__(self, message: str, retry_after: int, field: str | None = None) -> None:
        super().__init__(message, field)
        self.retry_after = max(1, int(retry_after))


class Unavailable(DomainError):
    status = 503
    code = "unavailable"

    def __init__(self, message: str, retry_after: int = 30, field: str | None = None) -> None:
        super().__init__(message, field)
        self.retry_after = retry_after
