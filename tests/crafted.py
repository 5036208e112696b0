"""Crafted hostile and broken archives, built in a test's tmp_path: one builder per class of input.

Each builder writes a small Facebook export (GOOD: a profile and a posts file that must always still be
read) plus the crafted part, and returns the path. The sizes are parameters so the same builders serve
the fast tests and benchmarks/bench_hostile_archive.py at full size.
"""
from __future__ import annotations

import os
import random
import stat
import struct
import warnings
import zipfile
import zlib
from pathlib import Path

PROFILE = "personal_information/profile_information/profile_information.json"
POSTS = "your_facebook_activity/posts/your_posts__check_ins__photos_and_videos_1.json"
GOOD = {PROFILE: b'{"profile_v2": {"name": {"full_name": "Ana"}}}', POSTS: b'[{"timestamp": 1600000000}]'}
MiB = 1 << 20


def write_zip(path: Path, extra: dict[str, bytes] | None = None, *, compression: int = zipfile.ZIP_DEFLATED,
              level: int | None = None, stored: bool = False) -> Path:
    """The GOOD members, then `extra` (in that order); duplicate and odd names allowed (a name of GOOD
    in `extra` is written twice). `stored` is compression=ZIP_STORED."""
    compression = zipfile.ZIP_STORED if stored else compression
    path.parent.mkdir(parents=True, exist_ok=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with zipfile.ZipFile(path, "w", compression=compression, compresslevel=level) as archive:
            for members in (GOOD, extra or {}):
                for name, content in members.items():
                    archive.writestr(zipfile.ZipInfo(name), content, compress_type=compression)
    return path


def patch(path: Path, old: bytes, new: bytes) -> Path:
    """Replace every occurrence of `old` (a member name) by `new` of the same length: local and central header."""
    assert len(old) == len(new)
    data = path.read_bytes()
    assert old in data
    path.write_bytes(data.replace(old, new))
    return path


def central_headers(data: bytes) -> list[int]:
    """Offsets of the central-directory file headers, in directory order."""
    found, at = [], data.find(b"PK\x01\x02")
    while at >= 0:
        found.append(at)
        at = data.find(b"PK\x01\x02", at + 4)
    return found


def set_central_sizes(path: Path, index: int, *, csize: int | None = None, size: int | None = None) -> Path:
    """Overwrite the sizes the central directory declares for its `index`-th entry (a size lie)."""
    data = bytearray(path.read_bytes())
    at = central_headers(bytes(data))[index]
    if csize is not None:
        data[at + 20:at + 24] = struct.pack("<I", csize)
    if size is not None:
        data[at + 24:at + 28] = struct.pack("<I", size)
    path.write_bytes(bytes(data))
    return path


def cut_directory(path: Path) -> Path:
    """Cut the zip where its central directory starts: a download that stopped at the very end."""
    data = path.read_bytes()
    path.write_bytes(data[: central_headers(data)[0]])
    return path


# ---- one builder per class ----------------------------------------------------------------------

def nameless_members(path: Path) -> Path:
    """A member with an empty name and one whose name starts with NUL (zipfile's is_dir crashed on them)."""
    write_zip(path, {"": b"{}", "Xevil.json": b"{}", "your_facebook_activity/\x01odd.json": b"{}"})
    return patch(path, b"Xevil.json", b"\x00evil.json")


def deep_names(path: Path, depth: int = 20_000, length: int = 65_000) -> Path:
    """A member under `depth` folders, and one whose single name is `length` characters."""
    return write_zip(path, {"d/" * depth + "x.json": b"{}", "n" * length + ".json": b"{}"})


def bomb_without_directory(path: Path, size: int = 8 * MiB) -> Path:
    """A deflated member of `size` zeros (ratio ~1000:1) in a zip whose directory is cut off."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in GOOD.items():
            archive.writestr(name, content)
        with archive.open("your_facebook_activity/zeros.json", "w", force_zip64=size >= 0xFFFFFFFF) as stream:
            block = bytes(MiB)
            for _ in range(size // MiB):
                stream.write(block)
        archive.writestr("your_facebook_activity/after.json", b"[]")
    return cut_directory(path)


def compressible_bytes(size: int, seed: int = 0) -> bytes:
    """Media-like bytes that deflate about 2:1 (so an outer zip really compresses the inner ones)."""
    block = random.Random(seed).randbytes(min(size, MiB)).translate(bytes(b & 15 for b in range(256)))
    return (block * (size // len(block) + 1))[:size]


# ---- zips written by hand (struct): fast at sizes where zipfile takes minutes ---------------------

def _local(name: bytes, method: int, crc: int, csize: int, size: int) -> bytes:
    return struct.pack("<4sHHHHHIIIHH", b"PK\x03\x04", 20, 0, method, 0, 0x21, crc, csize, size, len(name), 0) + name


def _central(name: bytes, method: int, crc: int, csize: int, size: int, offset: int) -> bytes:
    return struct.pack("<4sHHHHHHIIIHHHHHII", b"PK\x01\x02", 20, 20, 0, method, 0, 0x21, crc, csize, size,
                       len(name), 0, 0, 0, 0, 0, offset) + name


def _end(count: int, central_size: int, central_offset: int) -> bytes:
    """The end records; zip64 ones first when there are more than 65,535 entries."""
    if count <= 0xFFFF:
        return struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, count, count, central_size, central_offset, 0)
    at = central_offset + central_size
    return (struct.pack("<4sQHHIIQQQQ", b"PK\x06\x06", 44, 45, 45, 0, 0, count, count, central_size,
                        central_offset)
            + struct.pack("<4sIQI", b"PK\x06\x07", 0, at, 1)
            + struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, 0xFFFF, 0xFFFF, central_size, central_offset, 0))


def _stored_zip(members: list[tuple[str, bytes]]) -> bytes:
    body, central = bytearray(), bytearray()
    for name, content in members:
        raw, crc = name.encode(), zlib.crc32(content)
        central += _central(raw, 0, crc, len(content), len(content), len(body))
        body += _local(raw, 0, crc, len(content), len(content)) + content
    return bytes(body + central + _end(len(members), len(central), len(body)))


CHAT_LINE = "[20.06.19, 16:00:{:02d}] Loris: message {}\n"
PHOTO = "00000001-PHOTO-2019-06-20-16-01-00.jpg"


def inner_chat_zips(path: Path, count: int, media_size: int) -> Path:
    """An outer zip of `count` deflated inner chat zips (WhatsApp iOS: a stored photo of `media_size`
    bytes, then `_chat.txt` with 20 messages and the attachment line; each chat's text differs).

    The inner zips share their first bytes (the photo), so the outer deflate of that prefix is done
    once and continued per inner zip (zlib's compressobj.copy): 100 x 60 MB builds in about a minute.
    """
    media = compressible_bytes(media_size)
    prefix = _local(PHOTO.encode(), 0, zlib.crc32(media), len(media), len(media)) + media
    engine = zlib.compressobj(1, zlib.DEFLATED, -15)
    head, prefix_crc = engine.compress(prefix), zlib.crc32(prefix)
    central, offset = bytearray(), 0
    with open(path, "wb") as out:
        for index in range(count):
            chat = ("".join(CHAT_LINE.format(i % 60, f"{index}-{i}" + "z" * index) for i in range(20))
                    + f"[20.06.19, 16:01:00] Loris: <attached: {PHOTO}>\n").encode()
            crc = zlib.crc32(chat)
            record = _local(b"_chat.txt", 0, crc, len(chat), len(chat)) + chat
            directory = (_central(PHOTO.encode(), 0, zlib.crc32(media), len(media), len(media), 0)
                         + _central(b"_chat.txt", 0, crc, len(chat), len(chat), len(prefix)))
            suffix = record + directory + _end(2, len(directory), len(prefix) + len(record))
            rest = engine.copy()
            data = head + rest.compress(suffix) + rest.flush()
            name = f"WhatsApp Chat - Friend {index:03d}.zip".encode()
            inner_crc, inner_size = zlib.crc32(suffix, prefix_crc), len(prefix) + len(suffix)
            assert offset + len(data) < 0xFFFFFFFF, "past 4 GiB: this writer has no zip64 offsets"
            local = _local(name, zipfile.ZIP_DEFLATED, inner_crc, len(data), inner_size)
            out.write(local)
            out.write(data)
            central += _central(name, zipfile.ZIP_DEFLATED, inner_crc, len(data), inner_size, offset)
            offset += len(local) + len(data)
        out.write(bytes(central) + _end(count, len(central), offset))
    return path


def size_lie(path: Path) -> Path:
    """A stored photo whose directory entry claims 3 GB (media sizes are counted from the directory)."""
    write_zip(path, {"your_facebook_activity/posts/media/lie.jpg": b"\xff\xd8" * 50})
    return set_central_sizes(path, 2, csize=3_000_000_000, size=3_000_000_000)


def zip64_lie(path: Path) -> Path:
    """Sizes set to the zip64 marker 0xFFFFFFFF with no zip64 record behind them (a 4 GB claim)."""
    write_zip(path, {"your_facebook_activity/comments_and_reactions/comments.json": b"[]" * 100})
    return set_central_sizes(path, 2, size=0xFFFFFFFF)


def bad_crc(path: Path, *, compression: int = zipfile.ZIP_STORED) -> Path:
    """A member whose bytes were changed after zipping: its CRC no longer matches."""
    name = "your_facebook_activity/comments_and_reactions/comments.json"
    write_zip(path, {name: b'{"comments_v2": [' + b'{"timestamp": 1600000000}, ' * 50 + b'{}]}'},
              compression=compression)
    info = zipfile.ZipFile(path).getinfo(name)
    data = bytearray(path.read_bytes())
    at = info.header_offset + 30 + len(name) + 40
    data[at] ^= 0x01
    path.write_bytes(bytes(data))
    return path


def zip_symlink(path: Path) -> Path:
    """A member marked as a Unix symbolic link to /etc/passwd (nothing is extracted, so it is a small file)."""
    write_zip(path)
    with zipfile.ZipFile(path, "a") as archive:
        info = zipfile.ZipInfo("your_facebook_activity/link.json")
        info.external_attr = (stat.S_IFLNK | 0o777) << 16
        archive.writestr(info, "/etc/passwd")
    return path


def encrypted_flag(path: Path) -> Path:
    """A member flagged as ZipCrypto-encrypted (in its local header and the directory)."""
    name = "your_facebook_activity/comments_and_reactions/comments.json"
    write_zip(path, {name: b"{}"})
    data = bytearray(path.read_bytes())
    info = zipfile.ZipFile(path).getinfo(name)
    data[info.header_offset + 6] |= 0x1
    data[central_headers(bytes(data))[2] + 8] |= 0x1
    path.write_bytes(bytes(data))
    return path


def many_members(path: Path, count: int = 100_000) -> Path:
    """The GOOD members and `count` tiny stored members under one Facebook section (zip64 end records)."""
    members = list(GOOD.items()) + [(f"your_facebook_activity/other/f{i}.json", b"{}") for i in range(count)]
    path.write_bytes(_stored_zip(members))
    return path


def hostile_folder(folder: Path, outside: Path) -> Path:
    """An extracted export holding a link out of it, a link to a folder, a FIFO and a name that is not UTF-8."""
    for name, content in GOOD.items():
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
    outside.write_text("secret of the machine")
    (folder / "your_facebook_activity" / "escape.json").symlink_to(outside)
    (folder / "your_facebook_activity" / "folder_link").symlink_to(folder / "personal_information")
    (folder / "your_facebook_activity" / "inside.json").symlink_to(folder / PROFILE)
    os.mkfifo(folder / "your_facebook_activity" / "pipe.json")
    raw = os.fsencode(folder / "your_facebook_activity") + b"/caf\xe9 \xff.json"  # latin-1 bytes: not UTF-8
    with open(raw, "wb") as handle:
        handle.write(b"{}")
    return folder
