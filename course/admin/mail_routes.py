"""Platform admin: mail the outbox gave up on, and putting it back in the queue."""
from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from course.forms import EmptyForm
from course.mail import retry

from . import bp


@bp.get("/beheer/mail")
def failed_mail():
    return render_template("admin/failed_mail.html", mails=retry.failed_mail(), total=retry.failed_count(),
                           form=EmptyForm())


@bp.post("/beheer/mail/opnieuw")
def retry_all_mail():
    if EmptyForm().validate_on_submit():
        _report(retry.retry_failed())
    return redirect(url_for("admin.failed_mail"))


@bp.post("/beheer/mail/<int:mail_id>/opnieuw")
def retry_mail(mail_id):
    if EmptyForm().validate_on_submit():
        _report(retry.retry_failed(mail_id))
    return redirect(url_for("admin.failed_mail"))


def _report(result: retry.RetryResult) -> None:
    if result.requeued:
        flash(ngettext("%(num)d mail is back in the queue.", "%(num)d mails are back in the queue.",
                       result.requeued), "success")
    if result.cancelled:
        flash(ngettext("%(num)d mail was not sent again: its link had expired.",
                       "%(num)d mails were not sent again: their link had expired.", result.cancelled), "info")
    if not (result.requeued or result.cancelled):
        flash(_("Nothing to retry: that mail is no longer waiting."), "info")
