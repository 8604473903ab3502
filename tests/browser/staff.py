"""Logging in as staff in the browser, through the admin's own form."""

from tests.factories import PASSWORD


def log_in(page, base_url, username, next_path="/admin/"):
    """Log ``username`` (a factory user) in through the admin's login form and wait for the page it leads to."""
    page.goto(f"{base_url}/admin/login/?next={next_path}")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.locator('input[type="submit"]').click()
    page.wait_for_url(f"**{next_path}")
