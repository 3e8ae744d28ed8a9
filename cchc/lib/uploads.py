"""Uploaded files follow the transaction that saved them: a save rolled back leaves no file on disk.

A ``FileField`` writes its file to the storage while the row is saved, before the transaction commits; when the
transaction (or the savepoint around the save) is then rolled back — a later check refused the save, a
concurrent save won, the view failed — the row is gone and the file would stay, named by nothing (issue 11,
item 8). So every file written by a save is watched: an ``on_commit`` callback marks it kept. When the block
that watches the files ends (``files_follow_the_transaction``: around each writing request and each service
that saves a file), a file whose callback Django discarded (its savepoint or transaction was rolled back) is
deleted. A file whose callback still waits belongs to an enclosing transaction that has not ended yet: it is
left to that transaction's own watcher, or, without one, to ``manage.py evidence_files`` (which lists unused
files).
"""

import contextlib
import contextvars
import logging

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models import FileField
from django.db.models.signals import post_save, pre_save

log = logging.getLogger(__name__)

_watched = contextvars.ContextVar("uploads_watched", default=None)


class _Written:
    """A file one save wrote: its storage and name, and whether its transaction committed."""

    def __init__(self, storage, name, using):
        self.storage, self.name, self.using = storage, name, using
        self.committed = False

    def keep(self):
        self.committed = True

    def pending(self):
        """Whether its ``on_commit`` callback still waits (its transaction has neither committed nor rolled back)."""
        return any(func == self.keep for _sids, func, _robust in connections[self.using].run_on_commit)


@contextlib.contextmanager
def files_follow_the_transaction():
    """Delete, at the end of the block, the files saved in it whose save was rolled back. Nested blocks leave
    the decision to the outermost one."""
    if _watched.get() is not None:
        yield
        return
    written = []
    token = _watched.set(written)
    try:
        yield
    finally:
        _watched.reset(token)
        for file in written:
            if not file.committed and not file.pending():
                try:
                    file.storage.delete(file.name)
                except OSError:  # pragma: no cover - the disk refused: the evidence_files command will list it
                    log.exception("Could not delete %s after its save was rolled back", file.name)


def _note_unwritten(sender, instance, raw=False, using=None, **kwargs):
    """Before a save: which of the row's files the save is about to write (new, not yet in the storage)."""
    if raw:
        return
    instance._uploads_to_write = [
        field.attname
        for field in sender._meta.concrete_fields
        if isinstance(field, FileField)
        and getattr(instance, field.attname)
        and not getattr(instance, field.attname)._committed
    ]


def _watch_written(sender, instance, raw=False, using=None, **kwargs):
    """After a save: watch each file it wrote, if a block watches files and a transaction may still undo it."""
    names = getattr(instance, "_uploads_to_write", None)
    if not names:
        return
    del instance._uploads_to_write
    written = _watched.get()
    using = using or DEFAULT_DB_ALIAS
    if written is None or not connections[using].in_atomic_block:
        return  # autocommit: the row is saved for good, and so is the file
    for attname in names:
        field_file = getattr(instance, attname)
        file = _Written(field_file.storage, field_file.name, using)
        transaction.on_commit(file.keep, using=using)
        written.append(file)


def connect(models):
    """Watch the files of ``models`` (those with a ``FileField``)."""
    for model in models:
        if any(isinstance(field, FileField) for field in model._meta.concrete_fields):
            uid = f"uploads.{model._meta.label}"
            pre_save.connect(_note_unwritten, sender=model, dispatch_uid=f"{uid}.pre")
            post_save.connect(_watch_written, sender=model, dispatch_uid=f"{uid}.post")
