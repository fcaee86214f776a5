"""The course editor (issue 11): thin views. Load (unknown → 404), check the policy,
call a service, render. Every save goes to the draft; only "Publish" changes what
learners see. The content checker's messages are shown next to their fields.

One module per topic; editing.py holds what they share (`Editing`, the lock field,
the checker's messages)."""
from . import assignments, courses, editing, modules, quizzes, readings, versions  # noqa: F401
