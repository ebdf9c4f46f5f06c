"""Recognisers of Indonesian personal data, and the public copy of a text with it masked.

What they find: NIK and KK numbers (16 digits whose first six are a district of the region
tree and whose next six are a date: DDMMYY, the day plus 40 for a woman), mobile and
written-out landline phone numbers (``08…``, ``+62…``, ``62…``, with spaces or dashes), email
addresses, vehicle plates of every regional prefix (``B 1234 XYZ``) and bank account numbers
written next to a bank's name or the word *rekening*.

Our own, not Microsoft Presidio: Presidio's analyzer always builds an NLP engine, which means
a spaCy model downloaded at install time (hundreds of MB per language, none for Indonesian),
and its built-in recognisers are for other countries' identifiers. Here every recogniser is a
compiled regular expression plus a check (the region code, the date, the bank's name), pure
functions over a string: about 0.03 ms for a sentence and 0.5 ms for an 850-character report
(CPU time, measured on the test corpus), when it is written (``Report.save``) and on the
filing form's preview. The district codes are read once
per process from ``agencies.Region`` (loaded from the idn-area data).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from agencies.models import Region

NIK = "nik"
KK = "kk"
PHONE = "phone"
EMAIL = "email"
PLATE = "plate"
BANK_ACCOUNT = "bank_account"
KINDS = (NIK, KK, PHONE, EMAIL, PLATE, BANK_ACCOUNT)

# What the public copy shows in place of each kind. Stored in Indonesian (the public copy is
# written once); ``localised`` swaps them for the reader's language at display time.
MASKS: dict[str, str] = {
    NIK: "[NIK disamarkan]",
    KK: "[nomor KK disamarkan]",
    PHONE: "[nomor telepon disamarkan]",
    EMAIL: "[email disamarkan]",
    PLATE: "[pelat nomor disamarkan]",
    BANK_ACCOUNT: "[nomor rekening disamarkan]",
}
_MASK_LABELS: dict[str, Promise] = {
    MASKS[NIK]: _("[NIK disamarkan]"),
    MASKS[KK]: _("[nomor KK disamarkan]"),
    MASKS[PHONE]: _("[nomor telepon disamarkan]"),
    MASKS[EMAIL]: _("[email disamarkan]"),
    MASKS[PLATE]: _("[pelat nomor disamarkan]"),
    MASKS[BANK_ACCOUNT]: _("[nomor rekening disamarkan]"),
}
# How each kind is named in the filing form's preview.
KIND_LABELS: dict[str, Promise] = {
    NIK: _("NIK"),
    KK: _("Nomor kartu keluarga"),
    PHONE: _("Nomor telepon"),
    EMAIL: _("Alamat email"),
    PLATE: _("Pelat nomor kendaraan"),
    BANK_ACCOUNT: _("Nomor rekening"),
}
# When two findings overlap, the higher one wins (a NIK is not also a phone number).
_PRIORITY = {EMAIL: 6, NIK: 5, KK: 5, BANK_ACCOUNT: 4, PHONE: 3, PLATE: 2}


@dataclass(frozen=True)
class Finding:
    kind: str
    start: int
    end: int
    text: str

    @property
    def label(self) -> Promise:
        return KIND_LABELS[self.kind]


# --- the region codes ----------------------------------------------------------------------


@lru_cache(maxsize=1)
def _cached_district_codes() -> frozenset[str]:
    codes = frozenset(
        code.replace(".", "")
        for code in Region.objects.filter(level=Region.Level.DISTRICT).values_list(
            "code", flat=True)
    )
    if not codes:  # not loaded yet: ask again next time rather than remember "none"
        raise LookupError
    return codes


def district_codes() -> frozenset[str]:
    """The six-digit codes (province, regency, district) of every district in the tree."""
    try:
        return _cached_district_codes()
    except LookupError:
        return frozenset()


def forget_district_codes() -> None:
    """Read the codes again on next use (after the region tree was loaded or changed)."""
    _cached_district_codes.cache_clear()


# --- NIK and KK ----------------------------------------------------------------------------

# 16 digits, alone or grouped by single spaces, dots or dashes (3374 0112 9001 0003,
# 337401-120590-0003); not part of a longer number or word.
_SIXTEEN = re.compile(r"(?<!\w)(?<!\d[.,/-])\d(?:[ .-]?\d){15}(?!\w|[.,/-]\d)")
_KK_CONTEXT = re.compile(r"(?:\bKK|kartu\s+keluarga|\bK\.K\.?)\W{0,3}(?:\w+\W{1,3}){0,3}$",
                         re.IGNORECASE)


def _is_date(day: int, month: int, year2: int) -> bool:
    for century in (1900, 2000):
        try:
            date(century + year2, month, day)
        except ValueError:
            continue
        return True
    return False


def is_nik(digits: str, districts: Collection[str]) -> bool:
    """Whether 16 digits can be a NIK (or KK number): a known district, then a date of birth
    (of issue, for a KK) as DDMMYY with 40 added to a woman's day, then a serial not 0000."""
    if len(digits) != 16 or not digits.isdigit() or digits[:6] not in districts:
        return False
    day, month, year2 = int(digits[6:8]), int(digits[8:10]), int(digits[10:12])
    if day > 40:
        day -= 40
    return _is_date(day, month, year2) and digits[12:] != "0000"


def _find_niks(text: str, districts: Collection[str]) -> Iterator[Finding]:
    for match in _SIXTEEN.finditer(text):
        raw = match.group()
        separators = {c for c in raw if not c.isdigit()}
        if len(separators) > 1:  # 3374.0112-9001 0003 is not how anyone writes a number
            continue
        if not is_nik(re.sub(r"\D", "", raw), districts):
            continue
        before = text[max(0, match.start() - 40):match.start()]
        kind = KK if _KK_CONTEXT.search(before) else NIK
        yield Finding(kind, match.start(), match.end(), raw)


# --- phone numbers -------------------------------------------------------------------------

# Mobile: 08…, +62 8…, 62 8…, 10 to 13 digits in the national form, any single space, dash
# or dot between digits. Landline: +62 and an area code, or an area code in brackets or
# followed by a dash ((021) 555 1234, 0274-512345).
_MOBILE = re.compile(
    r"(?<![\w+])(?:\+62|62|\(\+?62\)|0)[ .-]?8(?:[ .-]?\d){7,11}(?!\w|[.-]\d)")
_LANDLINE = re.compile(
    r"(?<![\w+])(?:\+62[ .-]?\(?[2-9]\d{0,2}\)?|\(0[2-9]\d{0,2}\)|0[2-9]\d{1,2}-)"
    r"[ .-]?\d{3,4}(?:[ .-]?\d{2,4})(?!\w|[.-]\d)")


def _find_phones(text: str) -> Iterator[Finding]:
    for match in _MOBILE.finditer(text):
        digits = re.sub(r"\D", "", match.group())
        national = "0" + digits[2:] if digits.startswith("62") else digits
        if 10 <= len(national) <= 13:
            yield Finding(PHONE, match.start(), match.end(), match.group())
    for match in _LANDLINE.finditer(text):
        digits = re.sub(r"\D", "", match.group())
        national = "0" + digits[2:] if digits.startswith("62") else digits
        if 9 <= len(national) <= 12:
            yield Finding(PHONE, match.start(), match.end(), match.group())


# --- email addresses -----------------------------------------------------------------------

_EMAIL = re.compile(
    r"(?<![\w.+-])[A-Za-z0-9][A-Za-z0-9._%+-]*"
    r"(?:@|\s?\[at\]\s?|\s?\(at\)\s?)"
    r"[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b"
)


# Spelled out to dodge filters: "dewi.lestari dot 90 at gmail dot com".
_EMAIL_SPELLED = re.compile(
    r"(?<![\w.])[A-Za-z0-9][\w.-]*(?:\s+dot\s+[\w-]+)*"
    r"\s+(?:at|\[at\]|\(at\))\s+[A-Za-z0-9-]+(?:\s*(?:dot|\.)\s*[A-Za-z0-9-]+)*"
    r"\s*(?:dot|\.)\s*(?:com|id|net|org|co|ac|go|sch|info|biz|me)\b",
    re.IGNORECASE)


def _find_emails(text: str) -> Iterator[Finding]:
    for pattern in (_EMAIL, _EMAIL_SPELLED):
        for match in pattern.finditer(text):
            yield Finding(EMAIL, match.start(), match.end(), match.group())


# --- vehicle plates ------------------------------------------------------------------------

# Every regional prefix (tanda nomor kendaraan bermotor, Perkap 7/2021 and its predecessors).
PLATE_PREFIXES = (
    # Sumatera
    "BL", "BB", "BK", "BA", "BM", "BP", "BG", "BN", "BE", "BD", "BH",
    # Jawa
    "A", "B", "D", "E", "F", "T", "Z", "G", "H", "K", "R", "AA", "AB", "AD",
    "L", "M", "N", "P", "S", "W", "AE", "AG",
    # Bali, Nusa Tenggara
    "DK", "DR", "EA", "DH", "EB", "ED",
    # Kalimantan
    "KB", "DA", "KH", "KT", "KU",
    # Sulawesi
    "DB", "DL", "DM", "DN", "DT", "DD", "DP", "DW", "DC",
    # Maluku, Papua
    "DE", "DG", "PA", "PB", "DS", "PG", "PS", "PT", "PY",
)
# Letters after the number that are units, times or address words, not a plate's suffix.
_NOT_SUFFIX = frozenset({
    "KM", "M", "CM", "MM", "KG", "G", "L", "WIB", "WITA", "WIT", "RT", "RW", "NO", "JAM",
    "PM", "AM", "CC", "GB", "MB", "HA", "LT", "X", "KWH", "V", "W",
})
_PLATE = re.compile(
    r"(?<![\w-])(" + "|".join(sorted(PLATE_PREFIXES, key=len, reverse=True)) + r")"
    r"[ -]?(\d{1,4})[ -]?([A-Z]{1,3})(?![\w-])"
)
_ADDRESS_BEFORE = re.compile(
    r"(?:\bblok|\bno|\bnomor|\bgang|\bgg|\bkav|\bkavling|\blantai|\bruang|\bkamar|\bunit"
    r"|\bvitamin|\btipe|\bkelas|\bgolongan|\bzona|\bsektor|\bpintu|\bgedung|\bjalur"
    r"|\bperon|\bterminal|\bkoridor)\W{0,2}$",
    re.IGNORECASE,
)


# Typed in lower case, a plate is taken only after a word that says it is one.
_PLATE_ANY_CASE = re.compile(
    r"(?:no\.?\s*pol|nopol|pelat|plat|nomor\s+polisi|tnkb)\W{0,3}(?:nomor\s+|no\.?\s*)?"
    + _PLATE.pattern, re.IGNORECASE)


def _find_plates(text: str) -> Iterator[Finding]:
    for match in _PLATE.finditer(text):
        if match.group(3) in _NOT_SUFFIX:
            continue
        if _ADDRESS_BEFORE.search(text[max(0, match.start() - 12):match.start()]):
            continue
        yield Finding(PLATE, match.start(), match.end(), match.group())
    for match in _PLATE_ANY_CASE.finditer(text):
        start = match.start(1)
        yield Finding(PLATE, start, match.end(), text[start:match.end()])


# --- bank account numbers ------------------------------------------------------------------

BANK_NAMES = (
    "BCA", "BRI", "BNI", "Mandiri", "BSI", "BTN", "CIMB Niaga", "CIMB", "Danamon", "Permata",
    "BJB", "Bank DKI", "Bank Jatim", "Bank Jateng", "Bank Nagari", "Bank Sumut", "Bank Aceh",
    "Bank Kalbar", "Bank Kalsel", "Bank Kaltimtara", "Bank Papua", "Bank Sulselbar",
    "Bank NTB", "Bank NTT", "Bank Bali", "BPD Bali", "BPD DIY", "Bank BPD", "Muamalat",
    "Bank Mega", "OCBC NISP", "OCBC", "Panin", "Maybank", "BTPN", "Jenius", "SeaBank",
    "Bank Jago", "blu", "Bank Syariah Indonesia", "Bank Sinarmas", "BPR", "Bukopin", "KB Bank",
)
_BANK = r"(?:bank\s+)?(?:" + "|".join(re.escape(name) for name in BANK_NAMES) + r")\b"
_ACCOUNT_WORD = r"(?:no(?:mor)?\.?\s*)?(?:rek(?:ening)?\.?|acc(?:ount)?|norek)\b"
# 8 to 18 digits, grouped by spaces or dashes (never dots: that is how prices are written).
_ACCOUNT = r"(?<![\w.,])(\d(?:[ -]?\d){7,17})(?![\w]|[.,]\d)"
_ACCOUNT_NUMBER = re.compile(_ACCOUNT)
# A candidate number is an account when a bank's name (or "rekening") ends at most 30
# characters before it on its line, or the bank's name follows it. Looking around each number
# (few per text) is much faster than scanning the whole text for every bank's name.
_BANK_BEFORE = re.compile(r"(?:" + _BANK + r"|" + _ACCOUNT_WORD + r")[^\d\n]{0,30}$",
                          re.IGNORECASE)
_BANK_AFTER = re.compile(r"\s{0,2}[(\[,/-]?\s{0,2}" + _BANK, re.IGNORECASE)
_MONEY_BEFORE = re.compile(r"(?:rp\.?|idr|rupiah)\s*$", re.IGNORECASE)


# Substrings one of which the text around an account number must hold (a quick test in C
# before the regular expressions run).
_CLUES = tuple({name.lower().split()[-1] for name in BANK_NAMES} | {"rek", "acc"})


def _has_clue(window: str) -> bool:
    lowered = window.lower()
    return any(clue in lowered for clue in _CLUES)


def _find_accounts(text: str) -> Iterator[Finding]:
    for match in _ACCOUNT_NUMBER.finditer(text):
        start, end = match.span(1)
        if _MONEY_BEFORE.search(text[max(0, start - 8):start]):
            continue
        before, after = text[max(0, start - 60):start], text[end:end + 40]
        if (_has_clue(before) and _BANK_BEFORE.search(before)) or (
                _has_clue(after) and _BANK_AFTER.match(after)):
            yield Finding(BANK_ACCOUNT, start, end, match.group(1))


# --- all together --------------------------------------------------------------------------


def find(text: str, *, districts: Collection[str] | None = None) -> list[Finding]:
    """The personal data in ``text``, in order, none overlapping (the stronger kind wins an
    overlap: an email over the digits in it, a NIK over a phone number). ``districts``: the
    six-digit district codes (default: the region tree's)."""
    if not text:
        return []
    codes = district_codes() if districts is None else districts
    found: list[Finding] = [
        *_find_emails(text), *_find_niks(text, codes), *_find_accounts(text),
        *_find_phones(text), *_find_plates(text),
    ]
    found.sort(key=lambda f: (-_PRIORITY[f.kind], -(f.end - f.start), f.start))
    kept: list[Finding] = []
    for finding in found:
        if all(finding.end <= k.start or finding.start >= k.end for k in kept):
            kept.append(finding)
    return sorted(kept, key=lambda f: f.start)


def mask(text: str, findings: list[Finding]) -> str:
    parts, at = [], 0
    for finding in findings:
        parts.append(text[at:finding.start])
        parts.append(MASKS[finding.kind])
        at = finding.end
    parts.append(text[at:])
    return "".join(parts)


def public_copy(text: str, *, districts: Collection[str] | None = None) -> str:
    """``text`` as the public sees it: each piece of personal data replaced by its mask."""
    return mask(text, find(text, districts=districts)) if text else text


_ANY_MASK = re.compile("|".join(re.escape(m) for m in MASKS.values()))


def localised(text: str) -> str:
    """A stored public copy with its masks in the reader's language."""
    if not text or "disamarkan]" not in text:
        return text
    replace: Callable[[re.Match[str]], str] = lambda m: str(_MASK_LABELS[m.group()])  # noqa: E731
    return _ANY_MASK.sub(replace, text)


# --- what the citizen is shown before submitting -------------------------------------------


@dataclass(frozen=True)
class Preview:
    """What the public copy of a title and text will mask, shown on the filing form before
    the report is sent. ``digest`` names the text previewed: a submission carrying it has
    seen this preview (a changed text is previewed again)."""

    title_findings: list[Finding]
    description_findings: list[Finding]
    title: str
    description: str
    digest: str

    @property
    def findings(self) -> list[Finding]:
        """What will be masked, each piece once (a plate in the title and the text too)."""
        seen: set[tuple[str, str]] = set()
        distinct = []
        for finding in (*self.title_findings, *self.description_findings):
            if (finding.kind, finding.text) not in seen:
                seen.add((finding.kind, finding.text))
                distinct.append(finding)
        return distinct


def preview_digest(title: str, description: str) -> str:
    return hashlib.sha256(f"{title}\x00{description}".encode()).hexdigest()[:32]


def preview(title: str, description: str) -> Preview:
    in_title, in_description = find(title), find(description)
    return Preview(
        title_findings=in_title,
        description_findings=in_description,
        title=localised(mask(title, in_title)),
        description=localised(mask(description, in_description)),
        digest=preview_digest(title, description),
    )
