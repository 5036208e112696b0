"""Build the demo exports in assets/demo/ with the synthetic-export builder (deterministic seed).

    python tools/make_demo.py [--out assets/demo] [--seed 2024]

The exports come from the same builders the tests use (tests/builder), so the demo shows exactly
the shapes the parsers are tested on. Every person, text and media file is synthetic, and the file
names say so. Each zip stays well under 300 KB.
"""
from __future__ import annotations

import argparse
import io
import sys
import zipfile
from datetime import datetime
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT / "tests"))

from builder import ExportTree, Names  # noqa: E402
from builder.facebook import build_facebook  # noqa: E402
from builder.instagram import build_instagram  # noqa: E402
from builder.whatsapp import ChatFormat, ChatWriter, chat_tree, chat_zip_name  # noqa: E402

#: One member the Facebook table does not know, so the demo's Files tab shows how unknown files are listed.
UNKNOWN_MEMBER = ("your_facebook_activity/unrecognised_section/new_in_a_future_export.json", '{"something": "new"}')


def facebook_demo(seed: int) -> ExportTree:
    tree = build_facebook("2024", seed, messages=160, posts=40, threads=6, photos=12, videos=3, comments=45,
                          reactions=80, friends=20, searches=25, logins=8, ad_interests=12, off_platform=15,
                          notifications=20, media_size=1_500)
    tree.add(*UNKNOWN_MEMBER)
    return tree


def instagram_demo(seed: int) -> ExportTree:
    return build_instagram("2025", seed, scale=1)


def whatsapp_demo(seed: int) -> ExportTree:
    """Two iOS chat zips inside one zip, as a phone's "Export chat" leaves them in a downloads folder.

    The owner writes in both chats, so the scan can infer who "self" is. Only the first carries
    its media files (the phone's "Export chat" asks: with or without media).
    """
    people = Names(seed).people(5)
    owner, friends = people[0], people[1:]
    outer = ExportTree()
    for number, (chat, members) in enumerate([("Family", friends[:2]), ("Trip 2022", friends[2:])]):
        fmt = ChatFormat(platform="ios", order="dmy", clock=24)
        writer = ChatWriter(seed + number, fmt, chat=chat, with_media=number == 0, people=[owner, *members])
        start = datetime(2019 + 2 * number, 3, 14, 9, 30)
        inner = chat_tree(list(writer.messages(90, start=start, max_gap=3 * 86400)), fmt, chat)
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, content in inner.files.items():
                archive.writestr(zipfile.ZipInfo(name, date_time=STAMP), content)
        outer.add(chat_zip_name(fmt, chat), buffer.getvalue())
    return outer


STAMP = (2024, 1, 1, 0, 0, 0)
DEMOS = {
    "synthetic-facebook.zip": facebook_demo,
    "synthetic-instagram.zip": instagram_demo,
    "synthetic-whatsapp-chats.zip": whatsapp_demo,
}


def normalise_zip(path: Path) -> Path:
    """Rewrite `path` with one fixed modification time per member, so reruns are byte-identical."""
    with zipfile.ZipFile(path) as source:
        members = [(info, source.read(info)) for info in source.infolist()]
    with zipfile.ZipFile(path, "w") as target:
        for info, content in members:
            fixed = zipfile.ZipInfo(info.filename, date_time=STAMP)
            fixed.compress_type = info.compress_type
            fixed.external_attr = 0o644 << 16
            target.writestr(fixed, content)
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=PROJECT / "assets" / "demo")
    parser.add_argument("--seed", type=int, default=2024)
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    for stale in args.out.glob("synthetic-*.zip"):
        if stale.name not in DEMOS:
            stale.unlink()
    for name, build in DEMOS.items():
        path = normalise_zip(build(args.seed).write_zip(args.out / name))
        print(f"{path.relative_to(PROJECT) if path.is_relative_to(PROJECT) else path}: {path.stat().st_size:,} bytes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
