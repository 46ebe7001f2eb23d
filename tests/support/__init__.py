"""Helpers shared by the tests, one copy each.

- ``auth``: signing staff in (the quick session way, or through the form) and out,
  and ``AuthActions`` behind the ``auth`` fixture;
- ``forms``: CSRF tokens read from pages, and posting a form with one;
- ``factories``: staff accounts, units and a demo office;
- ``submissions``: survey answers and payloads, and reading what was stored;
- ``audit``: reading the audit log;
- ``reference``: reference konversi and mutu with exact fractions;
- ``browser``: headless Chromium and a live server (also used by scripts/).

Fixtures stay in ``tests/conftest.py`` and the packages' conftest files; they
call these helpers.
"""
