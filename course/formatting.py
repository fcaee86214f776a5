"""One way to write a date on screen, in the reader's language and time zone:
"1 dec 2026" and "1 dec 2026, 09:01". Documents (certificates, workbooks) may spell
the month out; screens, lists and messages use these."""
from flask_babel import format_date, format_time


def display_date(moment, _style=None) -> str:
    """`_style` is accepted and ignored: screens have one date format."""
    return format_date(moment, "medium") if moment else ""


def display_datetime(moment, _style=None) -> str:
    if not moment:
        return ""
    return f"{format_date(moment, 'medium')}, {format_time(moment, 'short')}"
