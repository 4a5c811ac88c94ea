"""Work that follows an edit, done once at its end rather than at every record it saves.

An admin page saves a meeting, its delegations and each of their members: what depends on them
(the search index, the page cache) needs refreshing once, when the whole edit is in. ``batch()``
marks such an edit; an app registers with ``after_batch(fn)`` what to do at its end, and asks
``in_batch()`` whether to wait. Outside a batch, work is done at once. If the edit fails, what it
collected is dropped: the transaction it ran in is rolled back, so nothing changed.
"""

from contextlib import contextmanager
from contextvars import ContextVar

_depth: ContextVar[int] = ContextVar("editorial-batch-depth", default=0)
_finishers: list = []
_discarders: list = []


def after_batch(finish, discard=None):
    """Call ``finish()`` at the end of every outermost batch, and ``discard()`` when one fails."""
    if finish not in _finishers:
        _finishers.append(finish)
    if discard is not None and discard not in _discarders:
        _discarders.append(discard)


def in_batch() -> bool:
    return _depth.get() > 0


@contextmanager
def batch():
    """Group the saves of one edit: registered work runs once, at the end (nested batches join the outer one)."""
    token = _depth.set(_depth.get() + 1)
    try:
        yield
    except BaseException:
        _depth.reset(token)
        if not in_batch():
            for discard in _discarders:
                discard()
        raise
    _depth.reset(token)
    if not in_batch():
        for finish in _finishers:
            finish()
