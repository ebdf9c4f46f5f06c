"""Tracking numbers a citizen can read aloud and type: ``LPR-7K3M-9QXR``.

Eight characters from an alphabet without look-alikes (no 0/O, 1/I/L, U), drawn at random
(not a sequence: knowing one number tells nothing about another), the last one a check
character so that a mistyped number is caught before any lookup. 30^7 ≈ 2.2 × 10^10 numbers.
"""

from __future__ import annotations

import secrets

ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"  # 30 symbols; no 0 O 1 I L U
PREFIX = "LPR"
_RANDOM_LENGTH = 7


def _check_character(body: str) -> str:
    total = sum((index + 1) * ALPHABET.index(char) for index, char in enumerate(body))
    return ALPHABET[total % len(ALPHABET)]


def new_tracking_number() -> str:
    body = "".join(secrets.choice(ALPHABET) for _ in range(_RANDOM_LENGTH))
    chars = body + _check_character(body)
    return f"{PREFIX}-{chars[:4]}-{chars[4:]}"


def normalise(raw: str) -> str | None:
    """The canonical form of what a person typed, or None if it cannot be a tracking number.

    Accepts lower case, spaces, missing dashes and a missing prefix. The look-alike letters
    never occur in a number, so input containing them is rejected, as is a wrong check
    character."""
    cleaned = "".join(ch for ch in raw.upper() if ch.isalnum())
    if cleaned.startswith(PREFIX):
        cleaned = cleaned[len(PREFIX) :]
    if len(cleaned) != _RANDOM_LENGTH + 1 or any(ch not in ALPHABET for ch in cleaned):
        return None
    if _check_character(cleaned[:-1]) != cleaned[-1]:
        return None
    return f"{PREFIX}-{cleaned[:4]}-{cleaned[4:]}"
