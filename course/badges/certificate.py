"""The certificate of completion ("bewijs van deelname") as a PDF, with fpdf2.

Pure Python; the shipped DejaVu font and HarfBuzz shaping render any name
(Şükrü, Łucja, Nguyễn, Arabic). Long names shrink, then wrap; nothing crashes.
"""

from flask_babel import format_date
from flask_babel import gettext as _

from course.models import Certificate
from course.pdf import fonts
from course.pdf.document import BRAND, INK, MUTED, fitted_line, hex_rgb, new_pdf, qr_png

from . import queries


def render(certificate: Certificate) -> bytes:
    enrolment = certificate.enrolment
    course, user = enrolment.course, enrolment.user
    completed = enrolment.completed_at or certificate.issued_at
    url = queries.certificate_url(certificate)
    colour = hex_rgb(course.colour_primary, BRAND)

    pdf = new_pdf("L")
    pdf.set_title(f"{_('Certificate of participation')} – {course.title}")
    pdf.set_author(queries.issuer_name(course))
    pdf.set_auto_page_break(False)
    pdf.add_page()
    pdf.set_margins(25, 20, 25)
    width = pdf.w - 50

    pdf.set_draw_color(*colour)
    pdf.set_line_width(1.2)
    pdf.rect(10, 10, pdf.w - 20, pdf.h - 20)
    pdf.set_fill_color(*hex_rgb(course.colour_accent, (242, 169, 0)))
    pdf.rect(10, 10, pdf.w - 20, 4, style="F")

    pdf.set_xy(25, 24)
    pdf.set_text_color(*colour)
    pdf.set_font(fonts.FAMILY, "B", 30)
    pdf.cell(width, 14, _("Certificate of participation"), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(*INK)
    pdf.set_font(fonts.FAMILY, "", 13)
    pdf.cell(width, 10, _("This is to certify that"), align="C", new_x="LMARGIN", new_y="NEXT")
    fitted_line(pdf, user.name, width, 28)
    pdf.ln(2)
    pdf.set_font(fonts.FAMILY, "", 13)
    pdf.cell(width, 8, _("has completed the course"), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(*colour)
    fitted_line(pdf, course.title, width, 20, minimum=12)
    pdf.set_text_color(*INK)
    pdf.set_font(fonts.FAMILY, "", 13)
    pdf.cell(width, 9, _("on %(date)s", date=format_date(completed, "long")), align="C",
             new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)

    details = [(_("Study load"), _("%(hours)s hours", hours=course.study_hours))]
    # Study hours and attended contact hours apart (issue 13): Registerplein counts net contact time.
    from course.attendance import queries as attendance

    contact = attendance.enrolment_summary(enrolment)
    if course.requires_attendance or contact.attended:
        details.append((_("Contact hours attended"), _("%(hours)s hours", hours=contact.hours)))
    if course.accreditation_points:
        body = f" ({course.accreditation_body})" if course.accreditation_body else ""
        details.append((_("Accreditation"), _("%(points)s points", points=course.accreditation_points) + body))
    if course.accreditation_id:
        details.append((_("Accreditation id"), course.accreditation_id))
    if user.registration_number:
        details.append((_("Registerplein registration number"), user.registration_number))
    details.append((_("Issued by"), queries.issuer_name(course)))
    trainers = ", ".join(t.name for t in enrolment.cohort.trainers) if enrolment.cohort else ""
    if trainers:
        details.append((_("Trainer"), trainers))

    top = pdf.get_y()
    text_width = width - 55
    pdf.set_font(fonts.FAMILY, "B", 11)
    # The label column fits the longest label (translations differ in length), within reason.
    label_width = min(max(pdf.get_string_width(fonts.clean(label) + ":") for label, _v in details) + 4,
                      text_width / 2)
    for label, value in details:
        pdf.set_x(25)
        pdf.set_font(fonts.FAMILY, "B", 11)
        pdf.multi_cell(label_width, 6.5, fonts.clean(label) + ":", align="L", new_x="RIGHT", new_y="TOP")
        pdf.set_font(fonts.FAMILY, "", 11)
        pdf.multi_cell(text_width - label_width, 6.5, fonts.clean(value), align="L", new_x="LMARGIN",
                       new_y="NEXT")

    qr_size = 38
    qr_top = max(top, pdf.h - 22 - qr_size - 12)
    pdf.image(qr_png(url), x=pdf.w - 25 - qr_size, y=qr_top, w=qr_size, h=qr_size,
              alt_text=_("QR code to the verification page"))
    pdf.set_xy(25, pdf.h - 32)
    pdf.set_text_color(*MUTED)
    pdf.set_font(fonts.FAMILY, "", 9)
    pdf.cell(width - qr_size - 5, 5, _("Verify this certificate at:"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(fonts.FAMILY, "", 8)
    pdf.multi_cell(width - qr_size - 5, 4.5, url, link=url, new_x="LMARGIN", new_y="NEXT")
    pdf.cell(width - qr_size - 5, 4.5, _("Certificate number: %(id)s", id=certificate.public_id))
    return bytes(pdf.output())
