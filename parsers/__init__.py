"""Export Auditor's Qt-free library: open exports, recognise files, stream records, audit, export.

The entry point is `parsers.scan.scan(paths) -> Audit`. Submodules are imported where they are
used, so `import parsers` stays cheap and `parsers.scan` always names the module.
"""
__version__ = "0.1.0"
