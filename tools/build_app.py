"""Build the desktop app with PyInstaller, then (on Linux) pack it as a .tar.gz and a .deb.

    python tools/build_app.py                 build dist/export-auditor/ and the Linux packages
    python tools/build_app.py --no-package    the folder app only (what Windows and macOS build)
    python tools/build_app.py --if-stale      do nothing when dist/ already holds a build of these sources

Needs PyInstaller (`pip install -e '.[build]'`) and, for the .deb, dpkg-deb. Prints the build time,
the unpacked size and the size of each package. dist/build-stamp.json records a digest of the
sources the build came from, so the frozen tests reuse a build only while it matches the checkout.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import shutil
import subprocess
import sys
import tarfile
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT))

from app.startup import FONT_PACKAGES, SYSTEM_LIBRARIES  # noqa: E402
from parsers import __version__  # noqa: E402

NAME = "export-auditor"
SPEC = PROJECT / "packaging" / "export-auditor.spec"
LINUX = PROJECT / "packaging" / "linux"
DIST = PROJECT / "dist"
WORK = PROJECT / "build" / "pyinstaller"
STAMP = "build-stamp.json"
#: What a build is made of: a change in any of these makes an existing build stale.
SOURCES = ("app", "parsers", "packaging", "assets/demo", "assets/icon.svg", "assets/icon.png", "pyproject.toml",
           "tools/build_app.py")
#: Where the .deb puts the app folder.
DEB_PREFIX = Path("opt") / NAME


def source_digest(root: Path = PROJECT) -> str:
    """sha256 over the path and bytes of every source file of the build (caches left out)."""
    digest = hashlib.sha256()
    for name in SOURCES:
        base = root / name
        files = [base] if base.is_file() else sorted(p for p in base.rglob("*") if p.is_file())
        for path in files:
            if "__pycache__" in path.parts or path.suffix == ".pyc":
                continue
            digest.update(path.relative_to(root).as_posix().encode() + b"\0")
            digest.update(path.read_bytes())
    return digest.hexdigest()


def read_stamp(dist: Path = DIST) -> dict | None:
    try:
        return json.loads((dist / STAMP).read_text())
    except (OSError, ValueError):
        return None


def current_build(dist: Path = DIST) -> dict | None:
    """The stamp of the build in `dist` when it was made from the sources as they are now, else None."""
    stamp = read_stamp(dist)
    if stamp is None or stamp.get("digest") != source_digest():
        return None
    if not (dist / NAME / executable_name()).is_file():
        return None
    return stamp


def executable_name() -> str:
    return NAME + (".exe" if sys.platform == "win32" else "")


def tree_size(folder: Path) -> int:
    """Bytes of the files under `folder` (apparent size; symlinks not followed)."""
    return sum(p.lstat().st_size for p in folder.rglob("*") if p.is_file() or p.is_symlink())


def _children_cpu() -> float:
    try:
        import resource
    except ImportError:  # Windows
        return 0.0
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_pyinstaller(dist: Path) -> None:
    try:
        import PyInstaller  # noqa: F401
    except ImportError:
        raise SystemExit("PyInstaller is not installed here: pip install -e '.[build]' (or pip install pyinstaller)")
    subprocess.run([sys.executable, "-m", "PyInstaller", str(SPEC), "--noconfirm", "--log-level", "WARN",
                    "--distpath", str(dist), "--workpath", str(WORK)], check=True, cwd=PROJECT)


def strip_interpreter(app: Path) -> None:
    """Drop the debug symbols of the bundled interpreter (libpython, the stdlib's extension modules).

    Only these: the wheels' own libraries are patched by auditwheel, and strip breaks some of them.
    """
    strip = shutil.which("strip")
    if strip is None or not sys.platform.startswith("linux"):
        return
    internal = app / "_internal"
    targets = [*internal.glob("libpython3*.so*"), *internal.glob("python3*/lib-dynload/*.so")]
    targets = [p for p in targets if p.is_file() and not p.is_symlink()]
    if targets:
        subprocess.run([strip, "--strip-debug", *map(str, targets)], check=True)


def _tar_filter(info: tarfile.TarInfo) -> tarfile.TarInfo:
    info.uid = info.gid = 0
    info.uname = info.gname = "root"
    return info


def pack_tarball(app: Path, dist: Path) -> Path:
    """export-auditor-VERSION-linux-ARCH.tar.gz: the app folder, the menu entry, the icon, install.sh."""
    top = f"{NAME}-{__version__}"
    target = dist / f"{top}-linux-{platform.machine()}.tar.gz"
    with tarfile.open(target, "w:gz", compresslevel=6) as tar:
        tar.add(app, arcname=f"{top}/{NAME}", filter=_tar_filter)
        tar.add(LINUX / "install.sh", arcname=f"{top}/install.sh", filter=_tar_filter)
        tar.add(LINUX / "export-auditor.desktop", arcname=f"{top}/export-auditor.desktop", filter=_tar_filter)
        tar.add(PROJECT / "assets" / "icon.svg", arcname=f"{top}/export-auditor.svg", filter=_tar_filter)
        tar.add(PROJECT / "assets" / "icon.png", arcname=f"{top}/export-auditor.png", filter=_tar_filter)
    return target


def deb_depends() -> str:
    """Depends: the system libraries Qt loads (app/startup.py's list), a font, and this glibc or newer."""
    packages = list(dict.fromkeys(lib.debian for lib in SYSTEM_LIBRARIES))
    glibc = os.confstr("CS_GNU_LIBC_VERSION").split()[-1] if hasattr(os, "confstr") else ""
    depends = [f"libc6 (>= {glibc})"] if glibc else []
    return ", ".join([*depends, *packages, f"{FONT_PACKAGES['debian']} | fonts-liberation2 | fonts-freefont-ttf"])


def pack_deb(app: Path, dist: Path) -> Path | None:
    """export-auditor_VERSION_ARCH.deb made with dpkg-deb: /opt/export-auditor, /usr/bin, menu entry, icons."""
    dpkg_deb = shutil.which("dpkg-deb")
    dpkg = shutil.which("dpkg")
    if dpkg_deb is None or dpkg is None:
        print("dpkg-deb is not installed: no .deb (apt install dpkg-dev, or use the .tar.gz)", file=sys.stderr)
        return None
    arch = subprocess.run([dpkg, "--print-architecture"], capture_output=True, text=True, check=True).stdout.strip()
    root = WORK.parent / "deb-root"
    shutil.rmtree(root, ignore_errors=True)
    shutil.copytree(app, root / DEB_PREFIX, symlinks=True)
    (root / "usr" / "bin").mkdir(parents=True)
    (root / "usr" / "bin" / NAME).symlink_to(Path("/") / DEB_PREFIX / NAME)
    desktop = (LINUX / "export-auditor.desktop").read_text()
    (root / "usr" / "share" / "applications").mkdir(parents=True)
    (root / "usr" / "share" / "applications" / "export-auditor.desktop").write_text(desktop)
    for folder, source, suffix in (("scalable", "icon.svg", ".svg"), ("256x256", "icon.png", ".png")):
        icons = root / "usr" / "share" / "icons" / "hicolor" / folder / "apps"
        icons.mkdir(parents=True)
        shutil.copy2(PROJECT / "assets" / source, icons / (NAME + suffix))
    control = root / "DEBIAN"
    control.mkdir()
    installed_kib = (tree_size(root) + 1023) // 1024
    (control / "control").write_text(
        f"Package: {NAME}\n"
        f"Version: {__version__}\n"
        f"Architecture: {arch}\n"
        f"Maintainer: Export Auditor <noreply@export-auditor.invalid>\n"
        f"Installed-Size: {installed_kib}\n"
        f"Depends: {deb_depends()}\n"
        f"Section: utils\n"
        f"Priority: optional\n"
        f"Description: see what your Meta data exports contain and what may train AI\n"
        f" Export Auditor reads Facebook, Instagram and WhatsApp data exports on your own computer\n"
        f" and shows which content Meta says it uses, or may use, to train its generative AI.\n"
        f" It makes no network access.\n")
    for path in [root, *root.rglob("*")]:  # dpkg wants 0755 folders and no group/other write
        if path.is_symlink():
            continue
        mode = path.stat().st_mode & 0o7777
        path.chmod((mode | (0o755 if path.is_dir() else 0o644)) & ~0o022)
    target = dist / f"{NAME}_{__version__}_{arch}.deb"
    # zstd, not xz: xz took over ten minutes on the loaded 2-core build machine (zstd -9: 42 s, 92 MB);
    # every dpkg since Debian 12 / Ubuntu 21.10 reads it, and the glibc the build needs is newer anyway.
    subprocess.run([dpkg_deb, "--root-owner-group", "-Zzstd", "-z9", "--build", str(root), str(target)],
                   check=True, stdout=subprocess.DEVNULL)
    shutil.rmtree(root, ignore_errors=True)
    return target


def build(dist: Path = DIST, package: bool = True) -> dict:
    """Build, pack, write the stamp; returns the stamp (paths, sizes, seconds)."""
    started, cpu_before = time.perf_counter(), _children_cpu()
    digest = source_digest()  # of the sources as the build starts (an edit during it makes it stale)
    (dist / STAMP).unlink(missing_ok=True)
    run_pyinstaller(dist)
    app = dist / NAME
    strip_interpreter(app)
    built = time.perf_counter()
    stamp: dict = {"digest": digest, "version": __version__, "app": str(app),
                   "executable": str(app / executable_name()),
                   "build_seconds": round(built - started, 1), "build_cpu_seconds": round(_children_cpu() - cpu_before, 1),
                   "unpacked_bytes": tree_size(app)}
    if package and sys.platform.startswith("linux"):
        tarball = pack_tarball(app, dist)
        stamp.update(tarball=str(tarball), tarball_bytes=tarball.stat().st_size)
        deb = pack_deb(app, dist)
        if deb is not None:
            stamp.update(deb=str(deb), deb_bytes=deb.stat().st_size)
        stamp["package_seconds"] = round(time.perf_counter() - built, 1)
    (dist / STAMP).write_text(json.dumps(stamp, indent=1) + "\n")
    return stamp


def describe(stamp: dict) -> str:
    mb = 1_000_000
    lines = [f"build: {stamp['build_seconds']:.0f} s wall, {stamp['build_cpu_seconds']:.0f} s CPU "
             f"(PyInstaller and strip)",
             f"app:   {stamp['app']}  {stamp['unpacked_bytes'] / mb:.0f} MB unpacked"]
    for key in ("tarball", "deb"):
        if key in stamp:
            lines.append(f"{key + ':':6} {stamp[key]}  {stamp[key + '_bytes'] / mb:.0f} MB")
    if "package_seconds" in stamp:
        lines.append(f"packing: {stamp['package_seconds']:.0f} s")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--no-package", action="store_true", help="build the folder app only")
    parser.add_argument("--if-stale", action="store_true", help="keep a build of the same sources")
    parser.add_argument("--dist", type=Path, default=DIST, help="output folder (default: dist/)")
    options = parser.parse_args(argv)
    if options.if_stale:
        stamp = current_build(options.dist)
        packed = stamp is not None and (options.no_package or not sys.platform.startswith("linux") or "tarball" in stamp)
        if stamp is not None and packed:
            print("dist/ holds a build of these sources; kept.\n" + describe(stamp))
            return 0
    stamp = build(options.dist, package=not options.no_package)
    print(describe(stamp))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
