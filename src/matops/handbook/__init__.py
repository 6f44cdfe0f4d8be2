"""The trust handbook: a static, self-contained site built from the repository.

The site (:mod:`matops.handbook.site`) is built from the inventory, the latest results JSON
(optional), attestations and waivers; it holds no secret and no pupil data. Pages are listed in
one explicit registry (:data:`matops.handbook.site.PAGES` for trust-wide pages and
:data:`matops.handbook.site.SCHOOL_SECTIONS` for sections of each school's page).
"""
