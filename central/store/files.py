"""Files of applications, partial uploads and issued results on a directory every platform worker shares.

The bytes live once, content-addressed: ``blobs/ab/<sha256>``. A name an application knows,
``files/<reference>/<name>``, is a hard link to its blob (a copy where the file system has no hard links).
Nothing appears under a final name half written: a file is written under a temporary name of its writer's own
in the same directory (``.<name>.<pid>.<random>.tmp``), fsynced, then renamed, and the directory fsynced. Two
workers receiving the same file write two temp files and rename them onto the same name with the same bytes:
no clash, one result. A crash between write and rename leaves only a temp file, which no reader looks at
(``sweep_temp`` deletes it once it is older than any live write could be).

Resumable uploads grow in ``uploads/<id>.part`` (their offset must survive a crash); a completed upload is
promoted to its blob and its ``.part`` removed. An upload completed before blobs existed still has only its
``.part``: it is promoted when an application adopts it (the fallback that keeps old uploads usable); an
application's files written before are regular files under ``files/<reference>/`` and read as before.
(A deployment may put the directory on NFS or similar for workers on several hosts: rename and link are atomic
there too.)"""
from __future__ import annotations

import errno
import hashlib
import os
import re
import secrets
import time
from pathlib import Path

_SAFE = re.compile(r"^[A-Za-z0-9_.-]{1,100}$")
_HEX64 = re.compile(r"^[0-9a-f]{64}$")
TEMP_SUFFIX = ".tmp"


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _temp_name(directory: Path, final: str) -> Path:
    # a name of this writer's own: workers (and threads) sharing the directory never write into each other's file
    return directory / f".{final}.{os.getpid()}.{secrets.token_hex(6)}{TEMP_SUFFIX}"


def _write_fsynced(path: Path, chunks) -> str:
    """Write ``chunks`` (bytes) to the new file ``path`` and fsync it; the SHA-256 of what was written."""
    h = hashlib.sha256()
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        for chunk in chunks:
            h.update(chunk)
            view = memoryview(chunk)
            while view:
                n = os.write(fd, view)
                view = view[n:]
        os.fsync(fd)
    finally:
        os.close(fd)
    return h.hexdigest()


def _publish_once(tmp: Path, path: Path) -> None:
    """Give the written ``tmp`` its final name unless another writer of the same bytes got there first. The first
    blob stays the blob: a late writer's rename over it would leave the names already linked to it on an inode the
    blob no longer is (two copies of one document on disk; seen when a worker's write was slow under load)."""
    try:
        os.link(tmp, path)
    except FileExistsError:
        pass  # same name, same bytes: the first one stands
    except OSError as exc:
        if exc.errno not in (errno.EXDEV, errno.EPERM, errno.EMLINK, errno.ENOTSUP):
            raise
        os.replace(tmp, path)  # no hard links on this file system: rename, as atomic, same bytes
        return
    tmp.unlink()


def _read_blocks(path: Path):
    with open(path, "rb") as f:
        yield from iter(lambda: f.read(1 << 20), b"")


class FileStore:
    def __init__(self, directory: Path) -> None:
        self.files_dir = Path(directory) / "files"
        self.uploads_dir = Path(directory) / "uploads"
        self.blobs_dir = Path(directory) / "blobs"
        for d in (self.files_dir, self.uploads_dir, self.blobs_dir):
            d.mkdir(parents=True, exist_ok=True)

    # ----- content-addressed bytes: named by their SHA-256, written once -------------------------------------
    def _blob_path(self, sha256: str) -> Path:
        if not _HEX64.match(sha256):
            raise ValueError("not a SHA-256")
        return self.blobs_dir / sha256[:2] / sha256

    def has_blob(self, sha256: str) -> bool:
        return self._blob_path(sha256).is_file()

    def put_blob(self, data: bytes) -> str:
        """Store ``data`` under its SHA-256 (the same bytes twice are one file); returns the hash."""
        return self._put(hashlib.sha256(data).hexdigest(), [data])

    def put_blob_file(self, source: Path, sha256: str) -> str:
        """Store the file ``source`` as the blob ``sha256``; ValueError (nothing stored) if it hashes otherwise."""
        return self._put(sha256, _read_blocks(source))

    def _put(self, sha256: str, chunks) -> str:
        path = self._blob_path(sha256)
        if path.is_file():
            return sha256
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = _temp_name(path.parent, sha256)
        try:
            if _write_fsynced(tmp, chunks) != sha256:
                raise ValueError(f"the bytes do not hash to {sha256[:12]}")
            _publish_once(tmp, path)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        _fsync_dir(path.parent)
        return sha256

    def get_blob(self, sha256: str) -> bytes:
        """The document ``sha256``; ``ValueError`` when the bytes on disk no longer hash to their name."""
        data = self._blob_path(sha256).read_bytes()
        if hashlib.sha256(data).hexdigest() != sha256:
            raise ValueError(f"stored document {sha256[:12]} is damaged")
        return data

    def blob_path(self, sha256: str) -> Path:
        return self._blob_path(sha256)

    # ----- an application's files: names linked to blobs -------------------------------------------------------
    def _app_path(self, reference: str, name: str) -> Path:
        if not _SAFE.match(reference) or not _SAFE.match(name) or name in (".", ".."):
            raise ValueError(f"unsafe file name {reference}/{name}")
        return self.files_dir / reference / name

    def link(self, reference: str, name: str, sha256: str) -> None:
        """Name the blob ``sha256`` as ``reference``/``name`` (atomically: linked aside, then renamed over)."""
        blob = self._blob_path(sha256)
        path = self._app_path(reference, name)
        path.parent.mkdir(exist_ok=True)
        tmp = _temp_name(path.parent, name)
        try:
            try:
                os.link(blob, tmp)
            except OSError as exc:
                if exc.errno not in (errno.EXDEV, errno.EPERM, errno.EMLINK, errno.ENOTSUP):
                    raise
                _write_fsynced(tmp, _read_blocks(blob))  # no hard links here: a copy, written the same way
            os.replace(tmp, path)
        finally:
            # rename() of one hard link onto another of the same file does nothing and leaves ``tmp`` (POSIX)
            tmp.unlink(missing_ok=True)
        _fsync_dir(path.parent)

    def write(self, reference: str, name: str, data: bytes) -> str:
        """Store ``data`` as the application's file ``name``; returns its SHA-256."""
        sha = self.put_blob(data)
        self.link(reference, name, sha)
        return sha

    def adopt_upload(self, upload_id: str, reference: str, name: str, sha256: str) -> None:
        """Name a completed upload's bytes in the application's folder (the upload stays reusable)."""
        if not self.has_blob(sha256):  # completed before blobs existed: its .part is promoted now
            self.promote_upload(upload_id, sha256)
        self.link(reference, name, sha256)

    def read(self, reference: str, name: str) -> bytes:
        return self._app_path(reference, name).read_bytes()

    # ----- resumable uploads ------------------------------------------------------------------------------------
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

    def promote_upload(self, upload_id: str, sha256: str) -> None:
        """The completed upload's bytes into their blob (ValueError if they hash otherwise); the .part goes."""
        part = self.upload_path(upload_id)
        if not part.exists() and self.has_blob(sha256):
            return  # another worker promoted it already
        self.put_blob_file(part, sha256)
        part.unlink(missing_ok=True)

    def upload_sha256(self, upload_id: str) -> str:
        h = hashlib.sha256()
        for block in _read_blocks(self.upload_path(upload_id)):
            h.update(block)
        return h.hexdigest()

    def upload_length(self, upload_id: str) -> int:
        path = self.upload_path(upload_id)
        return path.stat().st_size if path.exists() else 0

    # ----- housekeeping -------------------------------------------------------------------------------------------
    def sweep_temp(self, older_than_s: float, *, now: float | None = None) -> list[Path]:
        """Delete temp files a crashed writer left (older than ``older_than_s``: a live write is never that old);
        the paths deleted."""
        cutoff = (time.time() if now is None else now) - older_than_s
        gone = []
        for top in (self.blobs_dir, self.files_dir):
            for path in top.rglob(f".*{TEMP_SUFFIX}"):
                try:
                    if path.is_file() and path.stat().st_mtime < cutoff:
                        path.unlink()
                        gone.append(path)
                except FileNotFoundError:
                    pass  # another worker swept it meanwhile
        return gone

