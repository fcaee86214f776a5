"""Running axe-core on a page that may still be navigating."""
from playwright.sync_api import Error as PlaywrightError

# What Chromium says when axe starts on a page that a click is still replacing:
# the old document is gone before the new one is there.
NAVIGATION_ERRORS = ("reading 'documentElement'", "Execution context was destroyed")


def run_on_settled_page(axe, page, attempts: int = 3):
    """axe.run once the page has loaded; a click's navigation that lands while axe runs
    is waited out and axe runs again on the new page (CI saw it once in 4,000 runs)."""
    for _ in range(attempts - 1):
        page.wait_for_load_state("load")
        try:
            return axe.run(page)
        except PlaywrightError as error:
            if not any(text in str(error) for text in NAVIGATION_ERRORS):
                raise
    page.wait_for_load_state("load")
    return axe.run(page)
