"""The one path every diary read and write from a screen takes: off the UI thread, never losing an entry.

A screen describes what it wants as a :class:`DiaryJob` and hands it to :func:`run_job`. The diary
call runs in a worker thread; its result comes back to ``done`` on the UI thread. When the file
cannot be written (full disk, no permission, another cramp-coach holding the lock, a file that is
not a diary), the entry stays in memory and :class:`~cramp_coach.screens.save_problem.SaveProblemScreen`
says what happened in plain words and offers to try again, to save a copy elsewhere, or to give up.
A read that fails says so and leaves the screen as it was.
"""

from __future__ import annotations

import errno
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any

from textual.app import App
from textual.css.query import NoMatches

from cramp_coach.core.models import Cramp, Night
from cramp_coach.core.record import record

if TYPE_CHECKING:
    from cramp_coach.app import CrampCoachApp

PLAIN_OS_REASONS = {
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk quota is used up",
    errno.EROFS: "the file system is read-only",
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
}


@record(frozen=False)
class DiaryJob:
    """One diary call a screen wants made.

    ``run`` is the call itself (it runs in a thread); ``done`` gets its result on the UI thread.
    ``what`` names the change for messages ("your cramp", "tonight's tick"); ``pending`` is the entry
    being written, kept for "save a copy elsewhere". ``conflict`` handles an ``EditConflictError``;
    ``failed`` hears about any failure the person did not retry (for a status line or a reload).
    A ``quiet`` read (a figure on home, say) hands any failure to ``failed`` and says nothing itself.
    """

    run: Callable[[], Any]
    done: Callable[[Any], None] | None = None
    what: str = "your change"
    write: bool = True
    pending: Cramp | Night | None = None
    conflict: Callable[[Exception], None] | None = None
    failed: Callable[[Exception], None] | None = None
    quiet: bool = False


def save_cramp(
    app: CrampCoachApp,
    cramp: Cramp,
    what: str = "your cramp",
    done: Callable[[Cramp], None] | None = None,
    failed: Callable[[Exception], None] | None = None,
) -> None:
    """Add ``cramp`` to the diary; ``done`` gets it once it is in the file (without one, a short note says so)."""
    services = app.services

    def saved(_: object) -> None:
        if done is None:
            app.notify("Saved to your diary", timeout=4)
        else:
            done(cramp)

    run_job(app, DiaryJob(run=lambda: services.diary().add_cramp(cramp), done=saved, what=what, pending=cramp, failed=failed))


def run_job(app: App[Any], job: DiaryJob) -> None:
    """Make the diary call in a worker thread; report back on the UI thread."""
    group = "diary-writes" if job.write else "diary-reads"
    app.run_worker(partial(_work, app, job), thread=True, group=group, exit_on_error=False)


def _work(app: App[Any], job: DiaryJob) -> None:
    from cramp_coach.core import diary as diary_module

    conflict_type = getattr(diary_module, "EditConflictError", None)
    try:
        result = job.run()
    except Exception as error:  # noqa: BLE001 - whatever went wrong, the entry must not be lost
        if conflict_type is not None and isinstance(error, conflict_type) and job.conflict is not None:
            app.call_from_thread(_safely, app, job.conflict, error)
        else:
            app.call_from_thread(_failed, app, job, error)
        return
    if job.done is not None:
        app.call_from_thread(_safely, app, job.done, result)


def _safely(app: App[Any], callback: Callable[[Any], None], value: Any) -> None:
    """Call back a screen; one that has closed meanwhile is left alone. Any other fault in the
    callback is a bug: it goes to the log with its traceback, and the person is told, not left
    looking at a screen that silently stopped (the diary call itself went through)."""
    try:
        callback(value)
    except NoMatches:
        pass
    except Exception as error:  # noqa: BLE001 - said, and logged, instead of vanishing in the worker
        import traceback

        app.log.error("".join(traceback.format_exception(error)))
        app.notify(
            f"Something went wrong showing the result ({type(error).__name__}); what was saved is safe.",
            severity="error", timeout=10, markup=False,
        )


def plain_reason(error: BaseException) -> str:
    """What went wrong, in plain words a person can act on."""
    from cramp_coach.core.storage import CorruptFileError, LockTimeoutError, StorageError  # (the store loads after the first frame)

    if isinstance(error, LockTimeoutError):
        return "another cramp-coach is writing the diary right now"
    if isinstance(error, CorruptFileError):
        return f"the diary file is not one cramp coach can read ({error.reason})"
    if isinstance(error, StorageError):
        return str(error.reason)
    if isinstance(error, OSError):
        return PLAIN_OS_REASONS.get(error.errno or 0, error.strerror or str(error) or "the file could not be used")
    if isinstance(error, KeyError):
        return "that entry is no longer in the diary"
    return str(error) or type(error).__name__


def problem_path(error: BaseException) -> str:
    """The file the problem is about, when known."""
    path = getattr(error, "path", None) or getattr(error, "filename", None)
    return str(path) if path else ""


def _failed(app: App[Any], job: DiaryJob, error: Exception) -> None:
    from cramp_coach.core.storage import CorruptFileError, StorageError
    from cramp_coach.screens.save_problem import SaveProblemScreen

    if job.quiet and not job.write:
        if job.failed is not None:
            _safely(app, job.failed, error)
        return

    def settled(outcome: str | None) -> None:
        if outcome == "retry":
            run_job(app, job)
        elif job.failed is not None:
            _safely(app, job.failed, error)

    if isinstance(error, (ValueError, KeyError)) and not isinstance(error, (StorageError, OSError)):
        # The diary refused the change itself (an entry already there, or gone): nothing to retry.
        app.notify(f"Not saved: {plain_reason(error)}", severity="error", timeout=10, markup=False)
        if job.failed is not None:
            _safely(app, job.failed, error)
        return
    if job.write:
        app.push_screen(SaveProblemScreen(error, job.what, job.pending), settled)
    elif isinstance(error, CorruptFileError):
        from cramp_coach.screens.dialogs import MoveAsideScreen

        app.push_screen(MoveAsideScreen(error), lambda moved: settled("retry" if moved else None))
    else:
        path = problem_path(error)
        app.notify(
            f"The diary cannot be read: {plain_reason(error)}." + (f"\n{path}" if path else ""),
            title="Diary problem",
            severity="error",
            timeout=15,
            markup=False,
        )
        settled(None)
