"""Seeded, deterministic builder of synthetic exports.

An export is built in memory as {member path: bytes} (an `ExportTree`), then written as a zip,
several zip parts, or a folder, optionally wrapped in the folders a Google-Drive download adds.
Platform shapes live in tests/builder/{facebook,instagram,whatsapp}.py and follow
../shared/reference and ../shared/fixtures.
"""
from __future__ import annotations

import json
import random
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

FIRST_NAMES = ["Ana", "Björn", "Chloé", "Dmitri", "Émile", "Fatima", "Gökhan", "Hana", "Ingrid", "José",
               "Kasia", "Lars", "María", "Noé", "Oskar", "Priya", "Radosław", "Søren", "Tomás", "Zoë"]
LAST_NAMES = ["Andersen", "Brown", "Çelik", "Dubois", "Eriksson", "García", "Hansen", "Ivanova", "Jensen",
              "Kowalski", "López", "Müller", "Nielsen", "O'Brien", "Pérez", "Quist", "Rossi", "Sørensen"]
WORDS = ("hello world photo trip beach coffee party birthday family weekend dinner music game city "
         "mountain café naïve smörgåsbord 🙂 🎉 ❤️ 👍🏽 garden winter summer friends school work").split()


def meta_json(value: Any) -> bytes:
    """JSON as Meta writes it: every non-ASCII UTF-8 byte escaped as a \\u00XX latin-1 code point."""
    text = json.dumps(value, ensure_ascii=False, indent=2)
    mangled = text.encode("utf-8").decode("latin-1")
    return _escape_non_ascii(mangled).encode("ascii")


def _escape_non_ascii(text: str) -> str:
    return "".join(ch if ord(ch) < 128 else f"\\u{ord(ch):04x}" for ch in text)


@dataclass
class ExportTree:
    """An export in memory: member path -> content. Media can be declared by size only."""

    files: dict[str, bytes] = field(default_factory=dict)

    def add(self, path: str, content: bytes | str) -> None:
        self.files[path] = content.encode("utf-8") if isinstance(content, str) else content

    def add_json(self, path: str, value: Any, *, mojibake: bool = True) -> None:
        self.add(path, meta_json(value) if mojibake else json.dumps(value, indent=2).encode("utf-8"))

    def add_media(self, path: str, size: int, seed: int = 0) -> None:
        """A media member: a JPEG/MP4-looking header then pseudo-random bytes (incompressible)."""
        rng = random.Random(f"{path}-{seed}")
        self.add(path, b"\xff\xd8\xff\xe0" + rng.randbytes(max(size - 4, 0)))

    # ---- writers -------------------------------------------------------------------------------
    def write_zip(self, path: Path, *, wrap: str = "", compression: int = zipfile.ZIP_DEFLATED) -> Path:
        path.parent.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(path, "w", compression=compression) as archive:
            for name, content in self.files.items():
                stored = is_media_name(name)
                archive.writestr(_join(wrap, name), content,
                                 compress_type=zipfile.ZIP_STORED if stored else compression)
        return path

    def write_parts(self, folder: Path, stem: str, parts: int, *, wrap: str = "") -> list[Path]:
        """Split the members round-robin over `parts` zips, as Meta splits a large export."""
        trees = [ExportTree() for _ in range(parts)]
        for index, (name, content) in enumerate(sorted(self.files.items())):
            trees[index % parts].files[name] = content
        return [tree.write_zip(folder / f"{stem}-part{n + 1}.zip", wrap=wrap) for n, tree in enumerate(trees)]

    def write_folder(self, folder: Path, *, wrap: str = "") -> Path:
        for name, content in self.files.items():
            target = folder / _join(wrap, name)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
        return folder


def is_media_name(name: str) -> bool:
    return name.rsplit(".", 1)[-1].lower() in {"jpg", "jpeg", "png", "mp4", "gif", "webp", "opus", "m4a", "mp3", "pdf"}


def _join(wrap: str, name: str) -> str:
    return f"{wrap.strip('/')}/{name}" if wrap else name


class Names:
    """Seeded people and text, so every export built with one seed is byte-identical."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.issued: set[str] = set()  # every person handed out: the people an export may name

    def person(self) -> str:
        name = f"{self.rng.choice(FIRST_NAMES)} {self.rng.choice(LAST_NAMES)}"
        self.issued.add(name)
        return name

    def people(self, count: int) -> list[str]:
        seen: dict[str, None] = {}
        while len(seen) < count:
            seen[self.person()] = None
        return list(seen)

    def sentence(self, low: int = 2, high: int = 12) -> str:
        return " ".join(self.rng.choice(WORDS) for _ in range(self.rng.randint(low, high)))


def items_frame(rows: list[tuple[str, Any, str]]) -> "pd.DataFrame":
    """An items frame from (platform, Item, source_file) rows, with the exposure rules applied:
    for tests of what comes after the parsers (summaries, CSV export)."""
    import pandas as pd

    from parsers.contract import ItemsBuilder
    from parsers.exposure import classify

    builder = ItemsBuilder()
    for platform, item, source in rows:
        builder.add(platform, item, source)
    frame = builder.frame()
    frame["exposure"] = pd.Categorical(classify(frame)["exposure"], dtype=frame["exposure"].dtype)
    return frame
