"""Print every UI string in the code that has no Dutch translation yet."""
import sys
from pathlib import Path

from babel.messages.extract import extract_from_dir

sys.path.insert(0, str(Path(__file__).resolve().parent))
from compile_translations import ROOT, merged_catalog  # noqa: E402

KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None,
            "lazy_ngettext": (1, 2)}
METHOD_MAP = [
    ("course/**.py", "python"),
    ("config.py", "python"),
    ("templates/**.html", "jinja2"),
    ("templates/**.txt", "jinja2"),
    ("templates/**.svg", "jinja2"),
]


def source_messages() -> dict[str, str]:
    """msgid -> first 'file:line' where it is used."""
    found: dict[str, str] = {}
    options = {"templates/**.html": {"extensions": "jinja2.ext.do"}}
    for filename, lineno, message, _comments, _context in extract_from_dir(
        str(ROOT), METHOD_MAP, options_map=options, keywords=KEYWORDS
    ):
        if filename.startswith((".venv", "tests")):
            continue
        msgid = message[0] if isinstance(message, tuple) else message
        if msgid:
            found.setdefault(msgid, f"{filename}:{lineno}")
    return found


def missing() -> list[tuple[str, str]]:
    catalog = merged_catalog()
    return sorted(
        (where, msgid) for msgid, where in source_messages().items()
        if catalog.get(msgid) is None or not catalog.get(msgid).string
    )


def main() -> int:
    gaps = missing()
    for where, msgid in gaps:
        print(f"{where}: {msgid!r}")
    print(f"{len(gaps)} strings without a Dutch translation.")
    return 1 if gaps else 0


if __name__ == "__main__":
    sys.exit(main())
