"""The frozen app's entry point (PyInstaller runs this file as __main__).

freeze_support() comes first: the parallel scan's worker processes (forkserver on Linux, spawn on
Windows and macOS) are started by running this same executable, and it must become a worker then,
not open a second app.
"""
import multiprocessing
import sys

if __name__ == "__main__":
    multiprocessing.freeze_support()
    from app.main import main

    sys.exit(main())
