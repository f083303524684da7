"""Browser tests: real headless Chromium (Debian's ``chromium``) driven by Playwright against
pytest-django's live server. Run with ``make browser`` (``pytest -m browser``)."""
