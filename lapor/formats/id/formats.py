"""Dates and times in Bahasa Indonesia, one way everywhere: "2 Desember 2026", "2 Des 2026
14.41" (a dot between hours and minutes, as Indonesian writes it)."""

DATE_FORMAT = "j F Y"
TIME_FORMAT = "H.i"
DATETIME_FORMAT = "j F Y H.i"
SHORT_DATE_FORMAT = "j M Y"
SHORT_DATETIME_FORMAT = "j M Y H.i"
