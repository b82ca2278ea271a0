"""Files of applications and partial uploads on the local disk (a deployment may use object storage).

With several workers the directory is one they all share (a local disk for workers on one host, NFS or similar
across hosts); a file appears under its final name only complete (written aside, then renamed)."""
from __future__ import annotations

import hashlib
import os
import re
import secrets
from pathlib import Path

_SAFE = re.compile(r"^[A-Za-z0-9_.-]{1,100}$")
_HEX64 = re.compile(r"^[0-9a-f]{64}$")


class FileStore:
    def __init__(self, directory: Path) -> None:
        self.files_dir = Path(directory) / "files"
        self.uploads_dir = Path(directory) / "uploads"
        self.blobs_dir = Path(directory) / "blobs"
        self.files_dir.mkdir(parents=True, exist_ok=True)
        self.uploads_dir.mkdir(parents=True, exist_ok=True)

    # ----- content-addressed documents (issued results): named by their SHA-256, written once ----------------
    def _blob_path(self, sha256: str) -> Path:
        if not _HEX64.match(sha256):
            raise ValueError("not a SHA-256")
        return self.blobs_dir / sha256[:2] / sha256

    def put_blob(self, data: bytes) -> str:
        """Store ``data`` under its SHA-256 (the same bytes twice are one file); returns the hash."""
        sha = hashlib.sha256(data).hexdigest()
        path = self._blob_path(sha)
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f"{sha}.{os.getpid()}.tmp")
            tmp.write_bytes(data)
            tmp.replace(path)
        return sha

    def get_blob(self, sha256: str) -> bytes:
        """The document ``sha256``; ``ValueError`` when the bytes on disk no longer hash to their name."""
        data = self._blob_path(sha256).read_bytes()
        if hashlib.sha256(data).hexdigest() != sha256:
            raise ValueError(f"stored document {sha256[:12]} is damaged")
        return data

    def _app_path(self, reference: str, name: str) -> Path:
        if not _SAFE.match(reference) or not _SAFE.match(name) or name in (".", ".."):
            raise ValueError(f"unsafe file name {reference}/{name}")
        return self.files_dir / reference / name

    def write(self, reference: str, name: str, data: bytes) -> None:
        path = self._app_path(reference, name)
        path.parent.mkdir(exist_ok=True)
        # a name of this process's own: workers sharing the directory never write into each other's temp file
        tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
        tmp.write_bytes(data)
        tmp.replace(path)

    def adopt_upload(self, upload_id: str, reference: str, name: str) -> None:
        """Move a completed upload into the application's folder (a hard link keeps the upload reusable)."""
        path = self._app_path(reference, name)
        path.parent.mkdir(exist_ok=True)
        if path.exists():
            path.unlink()
        os.link(self.upload_path(upload_id), path)

    def read(self, reference: str, name: str) -> bytes:
        return self._app_path(reference, name).read_bytes()

    def upload_path(self, upload_id: str) -> Path:
        if not _SAFE.match(upload_id):
            raise ValueError("unsafe upload id")
        return self.uploads_dir / f"{upload_id}.part"

    def append_upload(self, upload_id: str, offset: int, data: bytes) -> int:
        """Write ``data`` at ``offset`` (truncating anything after it) and fsync; returns the new length."""
        path = self.upload_path(upload_id)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o600)
        try:
            os.ftruncate(fd, offset)
            os.lseek(fd, offset, os.SEEK_SET)
            view = memoryview(data)
            while view:
                n = os.write(fd, view)
                view = view[n:]
            os.fsync(fd)  # the offset we report must survive a crash of the platform
            return offset + len(data)
        finally:
            os.close(fd)

    def upload_sha256(self, upload_id: str) -> str:
        h = hashlib.sha256()
        with open(self.upload_path(upload_id), "rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                h.update(block)
        return h.hexdigest()

    def upload_length(self, upload_id: str) -> int:
        path = self.upload_path(upload_id)
        return path.stat().st_size if path.exists() else 0
