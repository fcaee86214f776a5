"""Compile the Dutch catalogue from its per-area parts.

Source strings (msgids) are English. Dutch translations live in
translations/nl/<area>.po, one file per area so people can work side by side.
This merges them and writes translations/nl/LC_MESSAGES/messages.mo, which
Flask-Babel reads. English needs no catalogue: the msgids are English.
"""
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
PARTS = ROOT / "translations" / "nl"


def _translated(string) -> bool:
    if isinstance(string, (tuple, list)):
        return all(string)
    return bool(string)


def merged_catalog() -> Catalog:
    catalog = Catalog(locale="nl")
    for part in sorted(PARTS.glob("*.po")):
        with part.open("rb") as handle:
            for message in read_po(handle, locale="nl"):
                if not message.id or not _translated(message.string):
                    continue
                existing = catalog.get(message.id)
                if existing is None or not _translated(existing.string):
                    catalog.add(message.id, message.string)
    return catalog


def main() -> int:
    catalog = merged_catalog()
    target = PARTS / "LC_MESSAGES" / "messages.mo"
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("wb") as handle:
        write_mo(handle, catalog)
    print(f"Dutch catalogue: {len(catalog)} messages from {len(list(PARTS.glob('*.po')))} parts.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
