"""A simulated Microsoft 365 (Entra ID, Microsoft Graph) and Google Workspace (Admin SDK,
Cloud Identity) for the lab and the tests: real HTTPS, real OAuth 2.0 token flows, the APIs'
own JSON shapes, paging, throttling and permission errors.

A package of its own beside ``matops`` (installed with the ``lab`` extra): it imports nothing
from matops, and matops starts it only from its lab layer (``matops.lab``) as a process
(``tests/switchsim/test_switchsim_imports.py`` enforces both directions, for both simulators).

Run::

    python -m tenantsim --listen ADDR:PORT --cert CERT --key KEY --data DIR \\
        [--control-token-file FILE] [--token-lifetime SECONDS]

It prints ``tenantsim listening on https://ADDR:PORT`` once it accepts connections and stops
cleanly on SIGTERM. One server stands for every real host, each under a path prefix named
after it (``/login.microsoftonline.com``, ``/graph.microsoft.com``,
``/oauth2.googleapis.com/token``, ``/admin.googleapis.com``, ``/cloudidentity.googleapis.com``),
so a client is pointed at the simulator by its base URLs alone.

Data: ``DIR/<tenant-name>/*.json``, one folder per tenant (see ``store``); the lab or a test
writes ``credentials.json`` beside it (the client secret's SHA-256, certificates, service
account public keys). Control API under ``/_sim/`` (bearer token from the control token file):
faults, data replacement, reset, token expiry, request counts (see ``control``).

Modules: ``store`` (tenant data, relative dates, reload), ``generate`` (a large generated
tenant), ``devices`` (Intune and ChromeOS device records), ``tokens`` (issued access tokens),
``errors`` (each API's error bodies), ``paging`` and ``query`` (page tokens, ``$select``/
``$top``, Google's ``fields``), ``faults``, ``entra``/``graph``/``batch`` (Microsoft, Graph's
JSON batching), ``google`` (Google), ``control``, ``app`` (the one ASGI app).
"""
