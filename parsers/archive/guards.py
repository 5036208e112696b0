"""Every guard of the archive layer, written once; every reading path passes through them.

Listing (`Gate.admit`): the zip directory, a zip recovered without its directory, a folder walk and an
inner zip all hand each file to one gate, which checks its name (empty, NUL, `..`, too deep, too long),
its declared sizes (compression ratio, larger than the archive itself, the container's total) and the
member count. What it refuses stays listed as skipped, with a reason, and a problem row.

Reading (`Guard.open`): every member stream counts its bytes against the per-member limit and the
container's total budget, and turns a checksum error or a cut-off stream into `DamagedMember`, noted
in the Source's `Damage` so the audit can say the download is incomplete.
"""
from __future__ import annotations

import io
import zipfile
import zlib
from typing import IO, Callable

from ..limits import MAX_PATH_DEPTH, MAX_PATH_LENGTH, KiB, Limits
from ..rawio import InnerStream
from .model import ArchiveError, Damage, DamagedMember, EncryptedMember, Listing, MemberTooLarge, display
from .roots import is_media, normalise

#: Bytes read from the file or zip per refill. Large on purpose: every read releases and retakes the
#: GIL, and a worker that does so every millisecond starves the GUI thread (CPython's convoy effect,
#: bpo-7946). With 64 KiB refills a WhatsApp chat scan froze a heartbeat thread for up to 0.55 s;
#: with 1 MiB refills the worker parses ~20 ms between reads and the GUI thread gets its turn.
READ_BUFFER = 1024 * KiB

_SHOWN = 160  # characters of an over-long name shown in problems and the files table


# ---- listing ------------------------------------------------------------------------------------

class Gate:
    """The listing-time guards of one container (see the module docstring)."""

    def __init__(self, listing: Listing, limits: Limits, container_size: int | None = None) -> None:
        self.listing, self.limits, self.container_size = listing, limits, container_size
        self.count = 0
        self.declared = 0
        self.full = False

    def too_many(self, total: int) -> int:
        """How many of `total` files may be listed; says so when that is fewer (the total is known)."""
        limit = self.limits.max_members
        if total > limit:
            name = self.listing.name
            self.listing.log.add(name, "too_many_members",
                                 f"{name} holds {total:,} files, more than the safety limit of {limit:,}; "
                                 f"only the first {limit:,} were listed.")
            self.full = True
        return min(total, limit)

    def admit(self, raw: str, size: int, csize: int, *, stored: bool = False, overlapping: bool = False,
              skip_over_total: bool = True) -> str | None:
        """The normalised path under which a file is listed, or None: refused (kept as skipped) or past the count."""
        self.count += 1
        if self.count > self.limits.max_members:
            if not self.full:
                name = self.listing.name
                self.listing.log.add(name, "too_many_members",
                                     f"{name} holds more than {self.limits.max_members:,} files, the safety "
                                     f"limit; only the first {self.limits.max_members:,} were listed.")
                self.full = True
            return None
        path = self.name(raw, size, csize)
        if path is None:
            return None
        listing, name = self.listing, self.listing.name
        where = f"{name}: {path}"
        if overlapping:
            return self._refuse(where, path, size, csize, "overlapping_entries",
                                f"{path} in {name} shares its bytes with another entry (overlapping entries, a "
                                f"zip-bomb technique or a damaged zip); it was not read.", "overlapping zip entry")
        whole = self.container_size
        if whole is not None and (csize > whole or (stored and size != csize) or (is_media(path) and size > whole)):
            return self._refuse(where, path, size, csize, "size_lie",
                                f"{path} in {name} declares {size:,} bytes ({csize:,} compressed), more than the "
                                f"{whole:,} bytes of the whole archive could hold; the size is false (a damaged "
                                f"or crafted zip) and it was not read.", "declared size larger than the archive")
        if size >= self.limits.ratio_min_size and size > self.limits.max_ratio * max(csize, 1):
            ratio = size / max(csize, 1)
            return self._refuse(where, path, size, csize, "compression_ratio",
                                f"{path} in {name} would inflate {ratio:,.0f} times ({csize:,} bytes to {size:,}), "
                                f"past the safety limit of {self.limits.max_ratio:,.0f}; it was not read.",
                                f"compression ratio {ratio:,.0f}:1 over the safety limit")
        self.declared += size
        if self.declared > self.limits.max_total_size and skip_over_total:
            if self.declared - size <= self.limits.max_total_size:  # said once, at the first file over the limit
                listing.log.add(where, "too_large",
                                f"{name} declares more than {self.limits.max_total_size:,} bytes of content, "
                                f"the safety limit; {path} and the files after it were not read.")
            listing.skip(path, size, csize, "failed", "over the total size limit of the export")
            return None
        return path

    def name(self, raw: str, size: int, csize: int) -> str | None:
        """The safe, normalised, displayable path of a raw member name, or None when it is unsafe."""
        listing, name = self.listing, self.listing.name
        shown = display(raw)
        if not raw.strip("/") or raw.startswith("\x00") or "\x00" in raw:
            label = shown.replace("\x00", "\ufffd") or "(no name)"
            what = "an empty name" if not raw.strip("/\x00") else "a NUL character in its name"
            return self._refuse(f"{name}: {label}", label, size, csize, "unsafe_path",
                                f"A file in {name} has {what} ({raw[:40]!r}), which no export writes; it was not "
                                f"read.", f"unsafe name ({what})")
        if len(raw) > MAX_PATH_LENGTH or raw.count("/") + raw.count("\\") >= MAX_PATH_DEPTH:
            label = f"{shown[:_SHOWN]}… ({len(raw):,} characters)"
            return self._refuse(f"{name}: {label}", label, size, csize, "unsafe_path",
                                f"A file in {name} has a name of {len(raw):,} characters in {raw.count('/') + 1:,} "
                                f"folders, past the safety limits of {MAX_PATH_LENGTH:,} characters and "
                                f"{MAX_PATH_DEPTH} folders; it was not read.", "unsafe name (too long or too deep)")
        path = normalise(shown)
        if ".." in path.split("/"):
            return self._refuse(f"{name}: {shown}", path, size, csize, "unsafe_path",
                                f"{shown!r} in {name} has '..' in its name, which points outside the export; "
                                f"it was not read (nothing is ever extracted, so it did no harm).",
                                "unsafe name with '..'")
        if "\\" in raw:
            listing.log.add(f"{name}: {path}", "backslash_path",
                            f"{shown!r} in {name} uses backslashes as folder separators (a non-standard zip "
                            f"tool, often on Windows); it was read as {path}.")
        return path

    def encrypted(self, path: str) -> Callable[[], IO[bytes]]:
        """Log a password-protected member and return the opener that refuses it (its sizes stay real)."""
        name = self.listing.name
        self.listing.log.add(f"{name}: {path}", "encrypted",
                             f"{path} in {name} is password-protected (encrypted) and cannot be read. Meta and "
                             f"WhatsApp do not encrypt their downloads: open the original file, not a copy "
                             f"re-zipped with a password.")
        return refuse(EncryptedMember(f"{path} is password-protected (encrypted) inside {name}"))

    def cut(self, path: str, size: int, csize: int) -> None:
        """A member the download ends inside of: listed as failed and counted as damage."""
        name = self.listing.name
        self.listing.log.add(f"{name}: {path}", "truncated_member",
                             f"{path} in {name} is cut off where the download ended; it was not read.")
        self.listing.skip(path, size, max(csize, 0), "failed", "cut off: the zip ends inside this file")
        self.listing.damage.cut.add(path)

    def _refuse(self, where: str, path: str, size: int, csize: int, kind: str, message: str,
                reason: str) -> None:
        self.listing.log.add(where, kind, message)
        self.listing.skip(path, size, csize, "failed", reason)
        return None


def refuse(error: ArchiveError) -> Callable[[], IO[bytes]]:
    """An opener that raises `error` (an encrypted member, an unreadable compression method)."""
    def opener() -> IO[bytes]:
        raise error
    return opener


# ---- reading ------------------------------------------------------------------------------------

class Budget:
    """Bytes a whole source may still yield from its streams (the hard total cap)."""

    __slots__ = ("remaining",)

    def __init__(self, total: int) -> None:
        self.remaining = total


#: What zipfile and zlib raise when a member's bytes are damaged or end early.
DAMAGE_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError)


class _LimitedReader(InnerStream):
    """Counts the bytes a member yields, stops past its limit, and reports damage as DamagedMember."""

    def __init__(self, raw: IO[bytes], path: str, guard: Guard) -> None:
        super().__init__(raw)
        self._path, self._guard = path, guard
        self.count = 0

    def readinto(self, buffer) -> int:  # type: ignore[override]
        try:
            n = self.read_inner(buffer)
        except DamagedMember:
            self._guard.damage.cut.add(self._path)
            raise
        except DAMAGE_ERRORS as error:
            self._guard.damage.cut.add(self._path)
            raise DamagedMember(f"{self._path} is damaged in the download ({error}); it could not be read to "
                                f"the end") from error
        except OSError as error:  # its text would name the machine's absolute path: say it plainly
            raise ArchiveError(f"{self._path} could not be read ({error.strerror or type(error).__name__})") \
                from error
        self.count += n
        budget = self._guard.budget
        budget.remaining -= n
        if self.count > self._guard.limit:
            raise MemberTooLarge(f"{self._path} inflated past {self._guard.limit:,} bytes, the safety limit for one "
                                 f"file; reading stopped (a damaged or malicious archive?)")
        if budget.remaining < 0:
            raise MemberTooLarge(f"reading {self._path} went past the total number of bytes this export may "
                                 f"yield; reading stopped (a damaged or malicious archive?)")
        return n


class Guard:
    """The reading limits of one container's members, shared by all of them (one object, not one per member)."""

    __slots__ = ("limit", "budget", "damage")

    def __init__(self, limits: Limits, budget: Budget, damage: Damage) -> None:
        self.limit, self.budget, self.damage = limits.max_member_size, budget, damage

    def open(self, opener: Callable[[], IO[bytes]], path: str) -> IO[bytes]:
        try:
            stream = opener()
        except DamagedMember:
            self.damage.cut.add(path)
            raise
        except DAMAGE_ERRORS as error:
            self.damage.cut.add(path)
            raise DamagedMember(f"{path} is damaged in the download ({error}); it could not be opened") from error
        except OSError as error:  # its text would name the machine's absolute path: say it plainly
            raise ArchiveError(f"{path} could not be opened ({error.strerror or type(error).__name__})") from error
        return io.BufferedReader(_LimitedReader(stream, path, self), READ_BUFFER)
