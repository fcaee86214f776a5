"""The in-page confirmation (templates/base.html, static/js/app.js) that buttons with
data-confirm open instead of the browser's confirm()."""
from playwright.sync_api import expect


def answer_confirmation(page, yes: bool = True, expect_text: str | None = None):
    """Answer the open confirmation: "Ja, doorgaan" or "Annuleren"."""
    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible()
    if expect_text:
        expect(dialog).to_contain_text(expect_text)
    dialog.get_by_role("button", name="Ja, doorgaan" if yes else "Annuleren").click()
    expect(dialog).to_be_hidden()
