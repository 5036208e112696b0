"""The .deb on a clean Debian root: without its dependencies the app says what is missing (exit 3, no
abort) and the command line still works; `apt-get install ./export-auditor_*.deb` brings everything
needed, and the window then opens on a real X server (Xvfb) and scans the demo.

How, without containers: a minimal Debian root (debootstrap --variant=minbase, the host's release and
mirror) is made once and kept as a tarball in /var/cache/export-auditor-tests; each run unpacks a
fresh copy, so every run starts from a root that has never seen the app. The root reaches Xvfb
through its socket folder, bind-mounted. Needs root, debootstrap and Xvfb (.ci/run installs them)
and Debian's package mirror; when the mirror cannot be reached the test skips and says so, while a
.deb whose dependencies apt cannot resolve fails.
"""
from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import tarfile
import time
from pathlib import Path

import pytest

from test_frozen import frozen  # noqa: F401 (the build fixture)

pytestmark = [pytest.mark.frozen,
              pytest.mark.skipif(not sys.platform.startswith("linux") or os.geteuid() != 0,
                                 reason="needs Linux and root (chroot, mount)")]

CACHE = Path(os.environ.get("EXPORT_AUDITOR_DEBROOT_CACHE", "/var/cache/export-auditor-tests"))
NETWORK_WORDS = ("Failed to fetch", "Temporary failure resolving", "Could not resolve", "Unable to connect",
                 "Connection failed", "Network is unreachable", "Couldn't download")


def _host_release() -> tuple[str, str]:
    """(codename, mirror) of the host, so the root matches the glibc the build was made with."""
    release = dict(line.split("=", 1) for line in Path("/etc/os-release").read_text().splitlines() if "=" in line)
    codename = release.get("VERSION_CODENAME", "bookworm").strip('"')
    mirror = "http://deb.debian.org/debian"
    sources = Path("/etc/apt/sources.list.d/debian.sources")
    if sources.is_file():
        for line in sources.read_text().splitlines():
            if line.startswith("URIs:") and "security" not in line:
                mirror = line.split()[1]
                break
    return codename, mirror


def _pristine_root() -> Path:
    """The cached minbase root tarball, made with debootstrap on first use."""
    if shutil.which("debootstrap") is None:
        pytest.skip("debootstrap is not installed (apt-get install debootstrap)")
    codename, mirror = _host_release()
    tarball = CACHE / f"debian-{codename}-minbase.tar"
    if tarball.is_file():
        return tarball
    CACHE.mkdir(parents=True, exist_ok=True)
    work = CACHE / f"debian-{codename}-minbase.tmp"
    shutil.rmtree(work, ignore_errors=True)
    made = subprocess.run(["debootstrap", "--variant=minbase", codename, str(work), mirror],
                          capture_output=True, text=True, timeout=1500)
    if made.returncode != 0:
        shutil.rmtree(work, ignore_errors=True)
        tail = (made.stdout + made.stderr).strip().splitlines()[-3:]
        pytest.skip(f"debootstrap could not make a clean {codename} root (mirror {mirror}): {' | '.join(tail)}")
    subprocess.run(["tar", "-C", str(work), "-cf", str(tarball.with_suffix(".part")), "."], check=True)
    tarball.with_suffix(".part").rename(tarball)
    shutil.rmtree(work, ignore_errors=True)
    return tarball


@pytest.fixture(scope="module")
def xvfb():
    """A display of our own (Xvfb on a free number); yields the display name."""
    if shutil.which("Xvfb") is None:
        pytest.skip("Xvfb is not installed (apt-get install xvfb)")
    number = next(n for n in range(151, 400) if not Path(f"/tmp/.X11-unix/X{n}").exists()
                  and not Path(f"/tmp/.X{n}-lock").exists())
    server = subprocess.Popen(["Xvfb", f":{number}", "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(100):
        if Path(f"/tmp/.X11-unix/X{number}").exists():
            break
        time.sleep(0.1)
    try:
        yield f":{number}"
    finally:
        server.terminate()
        server.wait(timeout=10)


class CleanRoot:
    """A fresh Debian root with /proc, /dev and the X socket folder mounted; commands run chrooted."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.mounts: list[Path] = []

    def mount(self) -> None:
        for source, options in (("/proc", ["-t", "proc", "proc"]), ("/dev", ["--bind", "/dev"]),
                                ("/tmp/.X11-unix", ["--bind", "/tmp/.X11-unix"])):
            target = self.path / source.lstrip("/")
            target.mkdir(parents=True, exist_ok=True)
            subprocess.run(["mount", *options, str(target)], check=True)
            self.mounts.append(target)
        shutil.copy2("/etc/resolv.conf", self.path / "etc" / "resolv.conf")

    def unmount(self) -> None:
        for target in reversed(self.mounts):
            subprocess.run(["umount", "-l", str(target)], check=False)
        self.mounts.clear()

    def run(self, *command: str, env: dict[str, str] | None = None, timeout: float = 900):
        environ = {"PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "HOME": "/root",
                   "LANG": "C.UTF-8", "DEBIAN_FRONTEND": "noninteractive", **(env or {})}
        return subprocess.run(["chroot", str(self.path), *command], env=environ, capture_output=True, text=True,
                              timeout=timeout)


@pytest.fixture(scope="module")
def clean_root(tmp_path_factory, frozen):  # noqa: F811
    if "deb" not in frozen:
        pytest.skip("this build has no .deb (dpkg-deb missing)")
    tarball = _pristine_root()
    path = tmp_path_factory.mktemp("debian-root")
    with tarfile.open(tarball) as tar:
        tar.extractall(path, filter="fully_trusted")
    root = CleanRoot(path)
    root.mount()
    try:
        yield root
    finally:
        root.unmount()


def _network_failure(output: str) -> bool:
    return any(words in output for words in NETWORK_WORDS)


def test_deb_without_its_dependencies_names_what_is_missing_and_scan_works(clean_root, frozen, xvfb):  # noqa: F811
    """Only the package's files (dpkg-deb -x, no apt): the window's libraries are absent in minbase."""
    subprocess.run(["dpkg-deb", "-x", frozen["deb"], str(clean_root.path)], check=True)
    app = "/opt/export-auditor/export-auditor"
    result = clean_root.run(app, "--check", env={"DISPLAY": xvfb}, timeout=120)
    assert result.returncode == 3, (result.returncode, result.stdout, result.stderr)
    assert "Export Auditor cannot open its window" in result.stderr
    assert "sudo apt install" in result.stderr and "sudo dnf install" in result.stderr
    assert "export-auditor scan" in result.stderr
    assert "Aborted" not in result.stderr and "core dumped" not in result.stderr
    demo = "/opt/export-auditor/_internal/assets/demo/synthetic-whatsapp-chats.zip"
    scanned = clean_root.run("/usr/bin/export-auditor", "scan", demo, "--json", timeout=300)
    assert scanned.returncode == 0, scanned.stderr
    assert '"platform": "whatsapp_chat"' in scanned.stdout


def test_apt_installs_the_deb_and_the_window_opens_on_x(clean_root, frozen, xvfb):  # noqa: F811
    update = clean_root.run("apt-get", "update", "-qq")
    if update.returncode != 0:
        pytest.skip(f"Debian's mirror cannot be reached from the clean root: {update.stderr.strip()[-200:]}")
    deb = clean_root.path / "tmp" / Path(frozen["deb"]).name
    shutil.copy2(frozen["deb"], deb)
    inside = f"/tmp/{deb.name}"
    simulated = clean_root.run("apt-get", "install", "--simulate", "--no-install-recommends", inside)
    assert simulated.returncode == 0, simulated.stdout[-2000:] + simulated.stderr  # Depends all resolvable
    installed = clean_root.run("apt-get", "install", "-y", "-qq", "--no-install-recommends", inside, timeout=1200)
    if installed.returncode != 0 and _network_failure(installed.stdout + installed.stderr):
        pytest.skip(f"downloading the dependencies failed: {installed.stderr.strip()[-200:]}")
    assert installed.returncode == 0, installed.stdout[-2000:] + installed.stderr

    check = clean_root.run("export-auditor", "--check", env={"DISPLAY": xvfb}, timeout=120)
    assert check.returncode == 0, check.stderr
    assert "Qt platform xcb" in check.stdout
    shown = clean_root.run("export-auditor", "--self-test", env={"DISPLAY": xvfb}, timeout=300)
    assert shown.returncode == 0, shown.stdout + shown.stderr
    assert "platform xcb" in shown.stdout and "demo scanned in the window: 4 exports" in shown.stdout
    assert Path(clean_root.path, "usr/share/applications/export-auditor.desktop").is_file()
    with contextlib.suppress(FileNotFoundError):
        (clean_root.path / "tmp" / deb.name).unlink()
