"""Regressions found by attacking the running app (security review): each test
fails without its fix."""
import sqlalchemy as sa

from course.extensions import db
from course.mail import queue_mail
from course.mail.sender import build_message, send_queued
from course.models import MailStatus, OutboxMail
from tests import factories
from tests.test_access_matrix import _client, build_world

LINE_BREAKS = "Stichting\r\nBcc: kwaadwillend@example.com"


def test_a_line_break_typed_into_a_name_never_reaches_a_mail_header(app, client):
    """Anonymous visitors name the organisation in the in-company form; the platform
    admins' subject carries it. A CR/LF there made the mail unbuildable and crashed
    `flask mail send` for every mail behind it."""
    factories.make_user(role="admin")
    factories.make_course(slug="welzijn-2-0")
    response = client.post("/cursussen/welzijn-2-0/in-company", data={
        "organisation": LINE_BREAKS, "contact_name": "Kwaad", "email": "kwaad@example.org", "team_size": "3"})
    assert response.status_code == 302
    mail = db.session.scalar(sa.select(OutboxMail).where(OutboxMail.kind == "org_request_received"))
    assert "\r" not in mail.subject and "\n" not in mail.subject
    message = build_message(mail)
    assert message["Bcc"] is None
    assert "Stichting Bcc: kwaadwillend@example.com" in message["Subject"]


def test_an_unbuildable_mail_fails_alone_and_the_rest_is_delivered(app):
    bad = queue_mail("fout@example.org\r\nBcc: x@example.com", "Hallo", "password_reset", kind="test",
                     user=factories.make_user(), link="http://x", minutes=5)
    good = queue_mail("goed@example.org", "Hallo", "password_reset", kind="test",
                      user=factories.make_user(), link="http://x", minutes=5)
    db.session.commit()
    sent, failed = send_queued()
    assert (sent, failed) == (1, 1)
    assert db.session.get(OutboxMail, bad.id).status == MailStatus.FAILED
    assert db.session.get(OutboxMail, good.id).status == MailStatus.SENT


def test_a_line_break_in_a_group_name_does_not_break_its_csv_export(app):
    world = build_world()
    client = _client(app, world, "org_admin")
    response = client.post(f"/organisatie/groepen/{world.cohort.public_id}/bewerken",
                           data={"name": "Team\r\nX-Kwaad: 1"})
    assert response.status_code == 302
    response = client.get(f"/organisatie/groepen/{world.cohort.public_id}/voortgang.csv")
    assert response.status_code == 200
    assert "X-Kwaad" not in response.headers
    assert "\n" not in response.headers["Content-Disposition"]


def _xlsx_with_sheet(sheet_xml: str) -> bytes:
    import io
    import zipfile

    from openpyxl import Workbook

    source = io.BytesIO()
    workbook = Workbook()
    workbook.active["A1"] = "naam"
    workbook.save(source)
    out = io.BytesIO()
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as bomb:
        for info in original.infolist():
            data = sheet_xml.encode() if info.filename == "xl/worksheets/sheet1.xml" else original.read(info)
            bomb.writestr(info.filename, data)
    return out.getvalue()


def test_an_xlsx_zip_bomb_is_refused_before_it_is_unpacked(app, monkeypatch):
    """200 kB that unpacked into one 200 MB cell took 16 s and hundreds of MB."""
    import time

    from course.org import enrolment_files
    from course.org.enrolment_files import FileProblem, parse_enrolment_file

    monkeypatch.setattr(enrolment_files, "MAX_UNPACKED", 1024 * 1024)  # the same check, a cheaper bomb
    cell = "A" * (3 * 1024 * 1024)
    sheet = ('<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
             f'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>{cell}</t></is></c></row></sheetData></worksheet>')
    data = _xlsx_with_sheet(sheet)
    assert len(data) < 20_000
    started = time.monotonic()
    try:
        parse_enrolment_file("team.xlsx", data)
    except FileProblem as problem:
        message = str(problem.message)
    else:
        raise AssertionError("the bomb was read")
    assert "uitgepakt te groot" in message
    assert time.monotonic() - started < 1


def test_the_zip_bomb_answer_is_a_dutch_form_error_not_a_500(app):
    world = build_world()
    client = _client(app, world, "org_admin")
    import io

    sheet = ('<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
             '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>' + "A" * (21 * 1024 * 1024)
             + '</t></is></c></row></sheetData></worksheet>')
    response = client.post(f"/organisatie/groepen/{world.cohort.public_id}/bestand",
                           data={"file": (io.BytesIO(_xlsx_with_sheet(sheet)), "team.xlsx")})
    assert response.status_code == 400
    assert "uitgepakt te groot" in response.get_data(as_text=True)


def test_reset_mails_to_one_address_are_limited_per_account_whatever_the_ip_or_spelling(make_app):
    """Only the IP was limited: rotating addresses (or proxies) could flood one inbox."""
    app = make_app(RATELIMIT_ENABLED=True, RESET_LIMIT_PER_ACCOUNT="3 per minute", LOGIN_LIMIT_PER_IP="100 per minute")
    with app.app_context():
        factories.make_user(email="doelwit@example.org")
    codes = []
    for n, spelling in enumerate(["doelwit@example.org", " DOELWIT@example.org ", "Doelwit@Example.org",
                                  "doelwit@example.org"]):
        client = app.test_client()
        codes.append(client.post("/wachtwoord-vergeten", data={"email": spelling},
                                 environ_base={"REMOTE_ADDR": f"10.0.0.{n + 1}"}).status_code)
    assert codes == [302, 302, 302, 429]  # the padded spelling is trimmed, as in invitations
    with app.app_context():
        mails = db.session.scalars(sa.select(OutboxMail).where(OutboxMail.to_address == "doelwit@example.org")).all()
        assert len(mails) == 3
