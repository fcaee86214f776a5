"""The printable sign-in sheet ("tekenlijst") of a live session, as an A4 PDF (fpdf2,
the shared course/pdf package): session, dates, place and trainers at the top, then
one row per participant with a signature box per part of the session (Registerplein
asks for a signature per day). Long names wrap; any name renders (DejaVu, shaping)."""
from flask_babel import format_datetime
from flask_babel import gettext as _

from course.live.queries import display_parts
from course.pdf import fonts
from course.pdf.document import BRAND, INK, MUTED, new_pdf

from .queries import format_hours, session_minutes

MAX_SIGNATURE_COLUMNS = 4


def render(session, registrations) -> bytes:
    course = session.course
    parts = display_parts(session)
    pdf = new_pdf("P")
    pdf.set_title(f"{_('Sign-in sheet')} – {session.title}")
    pdf.set_author("Leerlijn")
    pdf.set_auto_page_break(True, margin=15)
    pdf.set_margins(15, 15, 15)
    pdf.add_page()
    width = pdf.w - 30

    pdf.set_text_color(*BRAND)
    pdf.set_font(fonts.FAMILY, "B", 18)
    pdf.multi_cell(width, 9, fonts.clean(_("Sign-in sheet")), new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(*INK)
    pdf.set_font(fonts.FAMILY, "B", 12)
    pdf.multi_cell(width, 6.5, fonts.clean(f"{course.title}: {session.title}"), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1)
    facts = [(_("When"), "; ".join(p.label for p in parts) or "-"),
             (_("Contact hours"), format_hours(session_minutes(session)))]
    if session.place:
        facts.append((_("Place"), " ".join(session.place.split())))
    if session.online_url:
        facts.append((_("Online"), session.online_url))
    trainers = ", ".join(t.name for t in session.trainers)
    if trainers:
        facts.append((_("Trainer"), trainers))
    if session.cohort is not None:
        facts.append((_("Group"), f"{session.cohort.name} ({session.cohort.organisation.name})"))
    if course.accreditation_id:
        facts.append((_("Accreditation number"), course.accreditation_id))
    pdf.set_font(fonts.FAMILY, "", 10)
    for label, value in facts:
        pdf.set_font(fonts.FAMILY, "B", 10)
        pdf.cell(40, 5.5, fonts.clean(label) + ":")
        pdf.set_font(fonts.FAMILY, "", 10)
        pdf.multi_cell(width - 40, 5.5, fonts.clean(value), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)

    signature_heads = ([p.day for p in parts] if 1 < len(parts) <= MAX_SIGNATURE_COLUMNS
                       else [_("Signature")])
    name_width = 62 if len(signature_heads) > 2 else 72
    number_width = 32
    sign_width = (width - 8 - name_width - number_width) / len(signature_heads)
    pdf.set_font(fonts.FAMILY, "", 10)
    with pdf.table(col_widths=(8, name_width, number_width, *([sign_width] * len(signature_heads))),
                   line_height=6, first_row_as_headings=True, text_align="LEFT") as table:
        head = table.row()
        for text in ["#", _("Name"), _("Registration number"), *signature_heads]:
            head.cell(fonts.clean(text))
        for number, registration in enumerate(registrations, start=1):
            row = table.row()
            row.cell(str(number))
            row.cell(fonts.clean(registration.user.name))
            row.cell(fonts.clean(registration.user.registration_number or ""))
            for _head in signature_heads:
                row.cell("\n")  # two lines high: room to sign
        for _extra in range(3):  # walk-ins write their name by hand
            row = table.row()
            for _cell in range(3 + len(signature_heads)):
                row.cell("\n" if _cell >= 3 else "")
    pdf.ln(3)
    pdf.set_text_color(*MUTED)
    pdf.set_font(fonts.FAMILY, "", 8)
    pdf.multi_cell(width, 4.5, fonts.clean(_("Printed on %(moment)s from Leerlijn. Enter the attendance afterwards on "
                                             "the session's attendance page.",
                                             moment=format_datetime(None, "short"))),
                   new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
