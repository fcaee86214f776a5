"""Course content as files: parse and validate `modules/<course>/`, then load it.

- `spec.py` reads a folder into plain data and collects every problem
  (`path:line: message`) without touching the database.
- `loader.py` writes valid content to the database in one transaction.
- `cli.py` adds `flask content check [PATH]` and `flask content load [PATH]`.
The format is documented in modules/README.md (format version 1).
"""
FORMAT_VERSION = 1
