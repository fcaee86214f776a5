"""Course content as files: parse and validate `modules/<course>/`, then load it.

- `model.py` is the typed content model (course, module, reading, quiz, assignment,
  field, rubric criterion and level); `questions/` is the question-type registry.
- `spec.py` reads a folder into that model and collects every problem
  (`path:line: message`, checker.py) without touching the database.
- `loader.py` writes valid content to the database in one transaction; code reads it
  back as typed objects through `CourseModule.quiz_spec` / `assignment_spec`.
- `files.py` writes the model in the folder format: the canonical form, whose hash is
  the content version; `export.py` writes a stored course out.
- `cli.py` adds `flask content check [PATH]`, `flask content load [PATH]` and
  `flask content export COURSE DIR`.
The format is documented in modules/README.md (format version 1).
"""
FORMAT_VERSION = 1
