"""The platform's signing identity: a CA and a signing certificate under it, made on the platform's first
start in ``<data_dir>/results/`` (keys 0600). The reference platform's CA is self-signed: a reader trusts
its signatures once that CA is trusted (``ca.pem``, docs/api.md); a province's platform signs with a key
and certificate from its own CA instead (put them in the same files). Keys are ECDSA P-256 (PAdES allows
it; making one takes a millisecond, so every test platform has its own)."""
from __future__ import annotations

import datetime as dt
import functools
import os
import threading
from pathlib import Path

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

CA_NAME = "政务服务平台参考实现根证书 Reference platform CA"
SIGNER_NAME = "政务服务平台电子证照签发 Result signing"
VALID_DAYS = 3650
_lock = threading.Lock()


def key_dir(data_dir: Path) -> Path:
    return Path(data_dir) / "results"


def _name(common: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, "政务服务中心平台 (reference)"),
                      x509.NameAttribute(NameOID.COMMON_NAME, common)])


def _write_private(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(data)


def _cert(subject: str, issuer: x509.Name, key: ec.EllipticCurvePrivateKey, signer: ec.EllipticCurvePrivateKey,
          ca: bool) -> x509.Certificate:
    now = dt.datetime.now(dt.timezone.utc) - dt.timedelta(minutes=5)
    b = (x509.CertificateBuilder().subject_name(_name(subject)).issuer_name(issuer).public_key(key.public_key())
         .serial_number(x509.random_serial_number()).not_valid_before(now)
         .not_valid_after(now + dt.timedelta(days=VALID_DAYS))
         .add_extension(x509.BasicConstraints(ca=ca, path_length=0 if ca else None), critical=True)
         .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False))
    if ca:
        b = b.add_extension(x509.KeyUsage(digital_signature=False, content_commitment=False, key_encipherment=False,
                                          data_encipherment=False, key_agreement=False, key_cert_sign=True,
                                          crl_sign=True, encipher_only=False, decipher_only=False), critical=True)
    else:
        b = (b.add_extension(x509.KeyUsage(digital_signature=True, content_commitment=True, key_encipherment=False,
                                           data_encipherment=False, key_agreement=False, key_cert_sign=False,
                                           crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
             .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False)
             .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(signer.public_key()), critical=False))
    return b.sign(signer, hashes.SHA256())


def ensure(data_dir: Path) -> Path:
    """Make the CA and the signing certificate unless they exist; returns their directory."""
    d = key_dir(data_dir)
    with _lock:
        if (d / "signer.pem").exists() and (d / "signer.key").exists() and (d / "ca.pem").exists():
            return d
        d.mkdir(parents=True, exist_ok=True)
        os.chmod(d, 0o700)
        ca_key = ec.generate_private_key(ec.SECP256R1())
        ca = _cert(CA_NAME, _name(CA_NAME), ca_key, ca_key, ca=True)
        key = ec.generate_private_key(ec.SECP256R1())
        cert = _cert(SIGNER_NAME, ca.subject, key, ca_key, ca=False)
        pem = serialization.Encoding.PEM
        _write_private(d / "signer.key", key.private_bytes(pem, serialization.PrivateFormat.PKCS8,
                                                           serialization.NoEncryption()))
        (d / "signer.pem").write_bytes(cert.public_bytes(pem))
        # The CA key is not kept: the reference platform never issues a second signing certificate with it.
        (d / "ca.pem").write_bytes(ca.public_bytes(pem))
    return d


@functools.lru_cache(maxsize=64)
def signer(directory: Path):  # -> pyhanko.sign.signers.SimpleSigner
    from pyhanko.sign import signers
    d = Path(directory)
    loaded = signers.SimpleSigner.load(str(d / "signer.key"), str(d / "signer.pem"), ca_chain_files=(str(d / "ca.pem"),))
    if loaded is None:
        raise RuntimeError(f"cannot load the platform's signing key from {d}")
    return loaded


@functools.lru_cache(maxsize=64)
def trust_root(directory: Path) -> asn1_x509.Certificate:
    pem = (Path(directory) / "ca.pem").read_bytes()
    der = x509.load_pem_x509_certificate(pem).public_bytes(serialization.Encoding.DER)
    return asn1_x509.Certificate.load(der)
