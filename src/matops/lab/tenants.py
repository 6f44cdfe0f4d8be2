"""The lab's cloud tenants: the tenant simulator (:mod:`tenantsim`) at its lab address.

A trust's Microsoft 365 and Google Workspace tenants live on the internet; in the lab they are
simulated, from data kept beside the trust's inventory (``inventories/<trust>/lab/tenants/
<tenant-name>/*.json``, the example trust's tenants with their planted problems). ``lab up``
copies that data into ``<state>/tenantsim/data``, makes credentials for each tenant (a client
secret and a certificate for each Entra app, an RSA key for each Google service account),
writes their public halves for the simulator (``credentials.json``) and the secret halves into
the lab secrets, and starts the simulator in a network namespace of its own on the bridge at
:data:`TENANTSIM_ADDRESS`, port 443, with a certificate from the lab CA
(:mod:`matops.lab.labca`). Clients reach it through :func:`simulated_endpoints` and verify it
with ``<state>/tenant-ca.pem``; ``lab down`` removes it with the rest.

>>> simulated_endpoints("https://198.18.0.20")["graph"]
'https://198.18.0.20/graph.microsoft.com'
"""

from __future__ import annotations

import hashlib
import ipaddress
import json
import os
import secrets
import shutil
import ssl
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

from matops.lab.labca import LabCA, ensure_ca, issue_server_certificate
from matops.lab.model import LAB_NETWORK, PREFIX, LabError, short_id
from matops.lab.netns import serve_in_namespace

TENANTSIM_NAME = "tenantsim"
"""The simulator's name in the lab (namespace ``mtl-<id>``, veth of the same name)."""
TENANTSIM_ADDRESS = ipaddress.IPv4Address("198.18.0.20")
"""The simulator's lab address, on the bridge's own /24 (198.18.0.0/24), where no school's
targets are: it stands for the cloud services on the internet."""
TENANTSIM_PORT = 443
TENANT_DATA = Path("lab") / "tenants"
"""Where a trust keeps its simulated tenants, relative to its inventory folder."""
STATE_FOLDER = "tenantsim"
CONTROL_TOKEN_FILE = "control-token"  # noqa: S105 - a file name
LOG = "tenantsim.log"
API_HOSTS = {
    "login": "login.microsoftonline.com",
    "graph": "graph.microsoft.com",
    "google_token": "oauth2.googleapis.com/token",
    "admin": "admin.googleapis.com",
    "cloudidentity": "cloudidentity.googleapis.com",
}
"""The simulator's path prefix for each real base URL (the same names as the real hosts)."""
REAL_ENDPOINTS = {key: f"https://{host}" for key, host in API_HOSTS.items()}


def tenantsim_base_url(address: str = str(TENANTSIM_ADDRESS), port: int = TENANTSIM_PORT) -> str:
    """``https://ADDRESS[:PORT]`` of a simulator.

    >>> tenantsim_base_url(), tenantsim_base_url("127.0.0.1", 8443)
    ('https://198.18.0.20', 'https://127.0.0.1:8443')
    """
    return f"https://{address}" if port == 443 else f"https://{address}:{port}"


def simulated_endpoints(base_url: str) -> dict[str, str]:
    """The five base URLs (login, graph, google_token, admin, cloudidentity) of a simulator."""
    return {key: f"{base_url}/{host}" for key, host in API_HOSTS.items()}


@dataclass(frozen=True)
class TenantCredentials:
    """The made-up credentials of one simulated tenant (secret halves: lab secrets only)."""

    tenant: str
    provider: str
    client_id: str | None = None
    client_secret: str | None = None
    certificate_pem: str | None = None
    private_key_pem: str | None = None
    thumbprint: str | None = None
    """SHA-1 thumbprint of the certificate, hex, as Entra shows it."""
    service_account: dict[str, Any] = field(default_factory=dict)
    """Google: the service account JSON key, as Google's console downloads it."""
    delegated_admin: str | None = None


def _rsa_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _pem(key: rsa.RSAPrivateKey) -> str:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


def _app_certificate(name: str) -> tuple[str, str, str]:
    """A self-signed certificate for an Entra app: (cert PEM, key PEM, SHA-1 hex)."""
    key = _rsa_key()
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    thumbprint = cert.fingerprint(hashes.SHA1()).hex().upper()  # noqa: S303 - Entra's x5t
    return cert.public_bytes(serialization.Encoding.PEM).decode(), _pem(key), thumbprint


def _microsoft(folder: Path, info: dict[str, Any]) -> tuple[TenantCredentials, dict[str, Any]]:
    app = info["applications"][0]
    client_id = str(app["client_id"])
    secret = "lab~" + secrets.token_urlsafe(30)
    cert, key, thumbprint = _app_certificate(f"matops lab {folder.name}")
    public = {
        "client_secrets": {client_id: [hashlib.sha256(secret.encode()).hexdigest()]},
        "client_certificates": {client_id: [cert]},
    }
    creds = TenantCredentials(folder.name, "microsoft365", client_id, secret, cert, key, thumbprint)
    return creds, public


def _google(
    folder: Path, info: dict[str, Any], token_uri: str
) -> tuple[TenantCredentials, dict[str, Any]]:
    account = info["service_accounts"][0]
    key = _rsa_key()
    key_id = secrets.token_hex(20)
    public_pem = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    email = str(account["client_email"])
    service_account = {
        "type": "service_account",
        "project_id": email.split("@")[1].split(".")[0],
        "private_key_id": key_id,
        "private_key": _pem(key),
        "client_email": email,
        "client_id": str(account.get("client_id", "")),
        "auth_uri": "https://accounts.google.com/o/oauth2/auth",
        "token_uri": token_uri,
        "universe_domain": "googleapis.com",
    }
    public = {
        "service_account_keys": {
            email: [{"private_key_id": key_id, "public_key_pem": public_pem.decode()}]
        }
    }
    creds = TenantCredentials(
        folder.name,
        "google_workspace",
        service_account=service_account,
        delegated_admin=account.get("delegated_admin"),
    )
    return creds, public


def make_credentials(data_dir: Path, token_uri: str) -> dict[str, TenantCredentials]:
    """Fresh credentials for every tenant in ``data_dir``; writes each ``credentials.json``.

    ``token_uri``: the Google token URI written into the service account keys (the
    simulator's). Returns the credentials by tenant name.
    """
    made: dict[str, TenantCredentials] = {}
    for folder in sorted(p for p in data_dir.iterdir() if (p / "tenant.json").is_file()):
        info = json.loads((folder / "tenant.json").read_text(encoding="utf-8"))
        if info.get("provider") == "microsoft365" and info.get("applications"):
            creds, public = _microsoft(folder, info)
        elif info.get("provider") == "google_workspace" and info.get("service_accounts"):
            creds, public = _google(folder, info, token_uri)
        else:
            continue
        path = folder / "credentials.json"
        path.write_text(json.dumps(public, indent=1), encoding="utf-8")
        made[folder.name] = creds
    return made


def tenant_data_source(trust_root: Path) -> Path | None:
    """The trust's simulated tenants (``<trust>/lab/tenants``), or None when it has none."""
    folder = trust_root / TENANT_DATA
    return folder if folder.is_dir() else None


def tenantsim_netns() -> str:
    """The simulator's network namespace (and the name of its veth on the bridge)."""
    return f"{PREFIX}-{short_id(TENANTSIM_NAME)}"


@dataclass(frozen=True)
class PreparedTenants:
    """What :func:`prepare_tenantsim` made in the state folder."""

    folder: Path
    data: Path
    ca: LabCA
    cert: Path
    key: Path
    control_token: Path
    credentials: dict[str, TenantCredentials]


def prepare_tenantsim(
    state_dir: Path, source: Path, address: str = str(TENANTSIM_ADDRESS), port: int = 443
) -> PreparedTenants:
    """Copy the data, make the lab CA, a server certificate, credentials, a control token."""
    folder = state_dir / STATE_FOLDER
    data = folder / "data"
    if data.exists():
        shutil.rmtree(data)
    shutil.copytree(source, data)
    ca = ensure_ca(state_dir)
    cert, key = issue_server_certificate(ca, folder / "server", [address])
    token_uri = simulated_endpoints(tenantsim_base_url(address, port))["google_token"]
    credentials = make_credentials(data, token_uri)
    control = folder / CONTROL_TOKEN_FILE
    fd = os.open(control, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(secrets.token_urlsafe(24) + "\n")
    return PreparedTenants(folder, data, ca, cert, key, control, credentials)


def tenantsim_argv(prepared: PreparedTenants, address: str, port: int) -> list[str]:
    """The command line that serves ``prepared`` on ``address:port``."""
    return [
        sys.executable, "-m", "tenantsim", "--listen", f"{address}:{port}",
        "--cert", str(prepared.cert), "--key", str(prepared.key), "--data", str(prepared.data),
        "--control-token-file", str(prepared.control_token),
    ]  # fmt: skip


def start_tenantsim(
    prepared: PreparedTenants, lab_id: str, marker: str, address: ipaddress.IPv4Address
) -> tuple[int, str]:
    """Start the simulator in its own namespace on the bridge; return (pid, namespace)."""
    if address not in LAB_NETWORK:
        raise LabError(f"the tenant simulator's address {address} is not a lab address")
    ns = tenantsim_netns()
    argv = tenantsim_argv(prepared, str(address), TENANTSIM_PORT)
    pid = serve_in_namespace(ns, address, argv, prepared.folder / LOG, {marker: lab_id})
    return pid, ns


def tenantsim_answers(base_url: str, ca_file: Path, timeout: float = 2.0) -> bool:
    """Whether the simulator at ``base_url`` answers its health check over verified HTTPS."""
    context = ssl.create_default_context(cafile=str(ca_file))
    opener = urllib.request.build_opener(
        urllib.request.ProxyHandler({}), urllib.request.HTTPSHandler(context=context)
    )
    try:
        with opener.open(f"{base_url}/_sim/health", timeout=timeout) as answer:
            return bool(answer.status == 200)
    except (OSError, urllib.error.URLError):
        return False


def wait_for_tenantsim(base_url: str, ca_file: Path, timeout: float = 30.0) -> None:
    """Wait until the simulator answers, or raise LabError."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if tenantsim_answers(base_url, ca_file):
            return
        time.sleep(0.2)
    raise LabError(f"the tenant simulator did not answer at {base_url} within {timeout:.0f}s")


@dataclass(frozen=True)
class LabTenants:
    """The trust's tenants as the lab simulates them: their data and the inventory entries.

    ``tenants`` holds the inventory's tenant entries (``matops.inventory.tenants``), whose
    variable names the made-up credentials are written under in the lab secrets.
    """

    source: Path
    tenants: tuple[Any, ...]
    address: ipaddress.IPv4Address = TENANTSIM_ADDRESS


def check_tenant_data(source: Path, tenants: tuple[Any, ...]) -> None:
    """LabError unless every inventory tenant has simulated data that agrees with it.

    The data must use the inventory's tenant id and client id (Microsoft 365), or customer id
    and a service account that may act as the delegated admin (Google).
    """
    problems = []
    for tenant in tenants:
        path = source / tenant.name / "tenant.json"
        if not path.is_file():
            problems.append(f"{tenant.name}: no simulated data at {path.parent}")
            continue
        info = json.loads(path.read_text(encoding="utf-8"))
        if tenant.provider == "microsoft365":
            clients = [a.get("client_id") for a in info.get("applications", [])]
            if info.get("tenant_id") != tenant.tenant_id:
                problems.append(f"{tenant.name}: {path} has tenant id {info.get('tenant_id')}")
            if tenant.credentials.client_id not in clients:
                client = tenant.credentials.client_id
                problems.append(f"{tenant.name}: {path} registers no app {client}")
        else:
            admins = [a.get("delegated_admin") for a in info.get("service_accounts", [])]
            if info.get("customer_id") != tenant.customer_id:
                problems.append(f"{tenant.name}: {path} has customer id {info.get('customer_id')}")
            if tenant.credentials.delegated_admin not in admins:
                problems.append(f"{tenant.name}: {path} delegates to none of {admins}")
    if problems:
        heading = "the lab's simulated tenants disagree with the inventory:"
        raise LabError("\n".join([heading, *problems]))


def bring_up_tenants(
    spec: LabTenants, state_dir: Path, lab_id: str, marker: str
) -> tuple[dict[str, Any], dict[str, str]]:
    """Prepare and start the simulator; return its lab.json entry and the lab secret values."""
    from matops.facts.tenant.credentials import lab_tenant_secrets

    check_tenant_data(spec.source, spec.tenants)
    prepared = prepare_tenantsim(state_dir, spec.source, str(spec.address), TENANTSIM_PORT)
    values = lab_tenant_secrets(spec.tenants, prepared.credentials)
    pid, ns = start_tenantsim(prepared, lab_id, marker, spec.address)
    entry = {
        "pid": pid,
        "netns": ns,
        "address": str(spec.address),
        "port": TENANTSIM_PORT,
        "base_url": tenantsim_base_url(str(spec.address)),
        "ca": str(prepared.ca.cert),
    }
    return entry, values


class TenantsimControl:
    """The running lab simulator's control API (faults, overlays, reset), for tests and demos.

    >>> control = TenantsimControl.of_lab(state_dir)  # doctest: +SKIP
    >>> control.overlay("northfield-m365", "fixed")  # doctest: +SKIP
    ['conditional_access_policies', 'directory_roles', 'user_registration_details', 'users']
    """

    def __init__(self, base_url: str, token: str, ca_file: Path) -> None:
        self.base_url, self._token, self.ca_file = base_url, token, ca_file

    @classmethod
    def of_lab(cls, state_dir: Path) -> TenantsimControl:
        """The control API of the simulator the lab in ``state_dir`` runs; LabError if none."""
        from matops.lab.record import read_record

        record = read_record(state_dir.absolute())
        if record is None or "tenantsim" not in record.data:
            raise LabError(f"the lab in {state_dir} runs no tenant simulator")
        entry = record.data["tenantsim"]
        token = (state_dir / STATE_FOLDER / CONTROL_TOKEN_FILE).read_text().strip()
        return cls(entry["base_url"], token, Path(entry["ca"]))

    def request(self, method: str, path: str, body: Any = None) -> Any:
        """``METHOD /_sim/<path>`` with a JSON body; the JSON answer, LabError on failure."""
        context = ssl.create_default_context(cafile=str(self.ca_file))
        opener = urllib.request.build_opener(
            urllib.request.ProxyHandler({}), urllib.request.HTTPSHandler(context=context)
        )
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(  # noqa: S310 - https to the lab's own simulator
            f"{self.base_url}/_sim/{path}", data=data, method=method,
            headers={"Authorization": f"Bearer {self._token}", "Content-Type": "application/json"},
        )  # fmt: skip
        try:
            with opener.open(request, timeout=30) as answer:
                return json.loads(answer.read())
        except urllib.error.HTTPError as exc:
            raise LabError(f"tenant simulator: {method} /_sim/{path}: HTTP {exc.code}") from None
        except OSError as exc:
            raise LabError(f"tenant simulator: {method} /_sim/{path}: {exc}") from None

    def overlay(self, tenant: str, name: str = "fixed") -> list[str]:
        """Apply ``<tenant>/<name>/*.json`` (``fixed``: the planted problems solved)."""
        return list(self.request("POST", f"tenants/{tenant}/overlay/{name}")["replaced"])

    def fault(self, path_prefix: str, **fault: Any) -> None:
        """Inject a fault (``status``/``truncate``, ``count``, ``every``, ``retry_after``)."""
        self.request("POST", "faults", {"path_prefix": path_prefix, **fault})

    def reset(self) -> None:
        """Back to the data as loaded: faults, replaced data, tokens and counters forgotten."""
        self.request("POST", "reset")

    def stats(self) -> dict[str, Any]:
        """Requests answered, per API and per status."""
        return dict(self.request("GET", "stats"))
