"""The maintained per-enrolment progress summary (issue 16).

The progress matrix and team progress show, per learner and module, one status
("completed", "waiting", ...) plus the learner's last activity. Computing that per
request means hydrating every progress row, submission and event of a cohort; the
summary row (models/summary.py) holds the result instead.

It is kept in the same transaction as the events that change it: every flush that
touches a ModuleProgress, Submission, ProgressEvent or Enrolment row notes that
enrolment, and just before the commit the notes are recomputed from the database
and written (an upsert). Quiz passes, submissions, review decisions, overrides and
completions all record a ProgressEvent or change one of those rows, so each of them
refreshes the summary, whichever service made the change. On PostgreSQL the
enrolment rows are locked first, so two transactions on one learner cannot both
write a summary computed without the other's change.

A row that is missing (data inserted in bulk, before the backfill) is computed on
read (`summaries_for`), so the pages never depend on the backfill having run;
`flask progress summarise` (run by `make run` and the bench) writes them all.
"""
from itertools import chain

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Session

from course import fastjson
from course.models import (
    Enrolment,
    EventKind,
    ModuleProgress,
    ProgressEvent,
    ProgressSummary,
    Submission,
    SubmissionStatus,
    utcnow,
)

# Flags per module, beside the cell status: what the funnel counts.
READ, QUIZ, APPROVED, COMPLETED, HANDED_IN = 1, 2, 4, 8, 16
WATCHED = (ModuleProgress, Submission, ProgressEvent)
BATCH = 500
_DIRTY = "progress_summary_dirty"


def cell_status(read_at, quiz_passed_at, completed_at, status) -> str:
    """The matrix cell: one word for the module's state."""
    if completed_at:
        return "completed"
    if status == SubmissionStatus.SUBMITTED:
        return "waiting"
    if status == SubmissionStatus.REVISION_REQUESTED:
        return "revision"
    if status == SubmissionStatus.APPROVED:
        return "approved"
    if read_at or quiz_passed_at or status == SubmissionStatus.DRAFT:
        return "in_progress"
    return "not_started"


def compute(connection, enrolment_ids) -> dict[int, dict]:
    """{enrolment_id: {"cells": ..., "last_event_at": ...}} from the source rows, for the
    enrolments that exist. Three queries for any number of enrolments."""
    ids = sorted(set(enrolment_ids))
    if not ids:
        return {}
    result = {eid: {"cells": {}, "last_event_at": None} for eid in connection.execute(
        sa.select(Enrolment.id).where(Enrolment.id.in_(ids))).scalars()}
    if not result:
        return {}
    ids = list(result)
    modules: dict[tuple[int, int], list] = {}
    for eid, mid, read_at, quiz_at, approved_at, completed_at in connection.execute(
        sa.select(ModuleProgress.enrolment_id, ModuleProgress.module_id, ModuleProgress.read_at,
                  ModuleProgress.quiz_passed_at, ModuleProgress.assignment_approved_at,
                  ModuleProgress.completed_at).where(ModuleProgress.enrolment_id.in_(ids))):
        flags = (READ if read_at else 0) | (QUIZ if quiz_at else 0) | (APPROVED if approved_at else 0) \
            | (COMPLETED if completed_at else 0)
        modules[(eid, mid)] = [read_at, quiz_at, completed_at, None, flags]
    for eid, mid, status in connection.execute(
        sa.select(Submission.enrolment_id, Submission.module_id, Submission.status)
        .where(Submission.enrolment_id.in_(ids))):
        entry = modules.setdefault((eid, mid), [None, None, None, None, 0])
        entry[3] = SubmissionStatus(status)
        if entry[3] != SubmissionStatus.DRAFT:
            entry[4] |= HANDED_IN
    for (eid, mid), (read_at, quiz_at, completed_at, status, flags) in modules.items():
        result[eid]["cells"][str(mid)] = [cell_status(read_at, quiz_at, completed_at, status), flags]
    for eid, last in connection.execute(
        sa.select(ProgressEvent.enrolment_id, sa.func.max(ProgressEvent.created_at))
        .join(Enrolment, ProgressEvent.enrolment_id == Enrolment.id)
        .where(ProgressEvent.enrolment_id.in_(ids), ProgressEvent.actor_id == Enrolment.user_id,
               ProgressEvent.kind != EventKind.REMINDER_SENT)
        .group_by(ProgressEvent.enrolment_id)):
        result[eid]["last_event_at"] = last
    return result


def write(connection, enrolment_ids) -> int:
    """Recompute and upsert the summaries of these enrolments; returns how many."""
    ids = sorted(set(enrolment_ids))
    if not ids:
        return 0
    dialect = connection.dialect.name
    if dialect == "postgresql":  # the other writer's change is committed and seen, or waits for ours
        connection.execute(sa.select(Enrolment.id).where(Enrolment.id.in_(ids)).order_by(Enrolment.id)
                           .with_for_update())
    computed = compute(connection, ids)
    if not computed:
        return 0
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    now = utcnow()
    rows = [{"enrolment_id": eid, "cells": data["cells"], "last_event_at": data["last_event_at"],
             "updated_at": now} for eid, data in computed.items()]
    statement = insert(ProgressSummary.__table__)
    connection.execute(statement.on_conflict_do_update(
        index_elements=["enrolment_id"],
        set_={"cells": statement.excluded.cells, "last_event_at": statement.excluded.last_event_at,
              "updated_at": statement.excluded.updated_at}), rows)
    return len(rows)


def cells_text():
    """ProgressSummary.cells as the JSON text it is stored as: a list page of 500 learners
    holds a few dozen distinct texts (progress repeats), so it works out each distinct
    text once (`patterns`) instead of decoding and walking 500 of them (issue 16)."""
    return sa.cast(ProgressSummary.cells, sa.Text)


class Patterns(dict):
    """{cells JSON text: make(decoded cells)}, made on first ask."""

    def __init__(self, make):
        super().__init__()
        self.make = make

    def __missing__(self, text):
        made = self[text] = self.make(fastjson.loads(text) if text else {})
        return made


def summaries_for(session, enrolment_ids) -> dict[int, dict]:
    """The summaries of these enrolments, as {"cells", "last_event_at"}: one query, plus
    three to compute (not store) any that are missing."""
    ids = list(enrolment_ids)
    if not ids:
        return {}
    found = {row.enrolment_id: {"cells": row.cells or {}, "last_event_at": row.last_event_at}
             for row in session.execute(
                 sa.select(ProgressSummary.enrolment_id, ProgressSummary.cells, ProgressSummary.last_event_at)
                 .where(ProgressSummary.enrolment_id.in_(ids)))}
    missing = [eid for eid in ids if eid not in found]
    if missing:
        found.update(compute(session.connection(), missing))
    return found


def rebuild(session, enrolment_ids=None) -> int:
    """Write the summary of every enrolment (or of these), in batches, committing each."""
    ids = list(enrolment_ids) if enrolment_ids is not None else list(
        session.scalars(sa.select(Enrolment.id).order_by(Enrolment.id)))
    done = 0
    for start in range(0, len(ids), BATCH):
        done += write(session.connection(), ids[start:start + BATCH])
        session.commit()
    return done


# ---- keeping it in step: noted at each flush, written before the commit -------------


def _enrolment_of(obj) -> int | None:
    if isinstance(obj, Enrolment):
        return vars(obj).get("id")
    enrolment_id = vars(obj).get("enrolment_id")
    if enrolment_id is None:
        enrolment = vars(obj).get("enrolment")
        enrolment_id = vars(enrolment).get("id") if enrolment is not None else None
    return enrolment_id


@event.listens_for(Session, "after_flush")
def _note_changes(session, flush_context) -> None:
    noted = None
    for obj in chain(session.new, session.dirty, session.deleted):
        if isinstance(obj, (*WATCHED, Enrolment)):
            enrolment_id = _enrolment_of(obj)
            if enrolment_id is not None:
                noted = noted if noted is not None else session.info.setdefault(_DIRTY, set())
                noted.add(enrolment_id)


@event.listens_for(Session, "before_commit")
def _write_before_commit(session) -> None:
    if session.new or session.dirty or session.deleted:
        session.flush()
    noted = session.info.pop(_DIRTY, None)
    if noted:
        write(session.connection(), noted)


@event.listens_for(Session, "after_rollback")
def _forget(session) -> None:
    session.info.pop(_DIRTY, None)
