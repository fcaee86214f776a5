"""Shared PDF infrastructure: the shipped font with its text helpers (fonts.py) and
an A4 document with Leerlijn's colours and layout helpers (document.py). Used by the
certificate (badges) and the workbook; badge images use fonts.py too."""
