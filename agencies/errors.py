"""The domain error of the agencies app: its message is shown as-is to the user."""


class AgencyError(Exception):
    """A rule of the body tree was broken; ``str(error)`` is a sentence in the user's language."""
