"""The domain error of the complaints app: its message is shown as-is, on the page as a form
error and in the API as a 400 with the same text."""


class ReportError(Exception):
    """A rule about reports was broken; ``str(error)`` is a sentence in the user's language."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field
