"""Shared PDF infrastructure: the shipped font with its text helpers (fonts.py), an
A4 document with Leerlijn's colours and layout helpers (document.py), and the booklet
layout with its plain-text fallback (booklet.py). Used by the certificate (badges),
the workbook, the team plan and the sign-in sheet; badge images use fonts.py too."""
