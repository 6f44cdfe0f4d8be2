"""The lab's own certificate authority, made per lab in its state folder.

``lab up`` creates ``<state>/tenant-ca.pem`` (the CA certificate, the bundle clients verify lab
servers with; :data:`matops.paths.LAB_CA_FILE`) and its key, then issues each HTTPS server of
the lab (the tenant simulator) a certificate for its lab address. ``lab down`` removes them
with the rest. Nothing outside the lab ever trusts this CA; it is never added to the system
store. Tests make a throwaway one the same way (``tests/support/tenantsim.py``).

>>> import tempfile
>>> folder = Path(tempfile.mkdtemp())
>>> ca = ensure_ca(folder)
>>> cert, key = issue_server_certificate(ca, folder / "srv", ["127.0.0.1"])
>>> cert.name, key.stat().st_mode & 0o777
('srv.pem', 384)
"""

from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from matops.paths import LAB_CA_FILE

CA_KEY_FILE = "tenant-ca.key"
_VALID = timedelta(days=30)


@dataclass(frozen=True)
class LabCA:
    """A CA certificate and its key on disk."""

    cert: Path
    key: Path


def _write_key(path: Path, key: ec.EllipticCurvePrivateKey) -> None:
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(pem)


def ensure_ca(folder: Path, name: str = "matops lab CA") -> LabCA:
    """The CA in ``folder`` (``tenant-ca.pem``, ``tenant-ca.key``), created when missing."""
    ca = LabCA(folder / LAB_CA_FILE, folder / CA_KEY_FILE)
    if ca.cert.is_file() and ca.key.is_file():
        return ca
    folder.mkdir(parents=True, exist_ok=True)
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.now(UTC)
    public = key.public_key()
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(public)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + _VALID)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
        .sign(key, hashes.SHA256())
    )
    _write_key(ca.key, key)
    ca.cert.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return ca


def issue_server_certificate(ca: LabCA, stem: Path, addresses: list[str]) -> tuple[Path, Path]:
    """A server certificate for ``addresses`` (IP SANs) signed by ``ca``.

    Writes ``<stem>.pem`` and ``<stem>.key`` (0600); returns their paths.
    """
    ca_key = serialization.load_pem_private_key(ca.key.read_bytes(), password=None)
    ca_cert = x509.load_pem_x509_certificate(ca.cert.read_bytes())
    if not isinstance(ca_key, ec.EllipticCurvePrivateKey):
        raise TypeError(f"{ca.key}: not the lab CA's key")
    key = ec.generate_private_key(ec.SECP256R1())
    now = datetime.now(UTC)
    sans = [x509.IPAddress(ipaddress.ip_address(a)) for a in addresses]
    ca_ski = ca_cert.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, addresses[0])]))
        .issuer_name(ca_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + _VALID)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.SubjectAlternativeName(sans), critical=False)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ca_ski),
            critical=False,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    cert_path, key_path = stem.with_suffix(".pem"), stem.with_suffix(".key")
    stem.parent.mkdir(parents=True, exist_ok=True)
    _write_key(key_path, key)
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return cert_path, key_path
