"""One migrated database handle per process, shared by pages and routes."""

import threading

from office_core.db import Database

_lock = threading.Lock()
_opened: dict[str, Database] = {}


def open_database(url: str) -> Database:
    """Return this process's handle on `url`, migrating it on first use.

    A failure is not remembered: the next call tries again, so the app
    recovers by itself once the database is back.
    """
    with _lock:
        if url not in _opened:
            database = Database(url)
            try:
                database.migrate()
            except Exception:
                database.dispose()
                raise
            _opened[url] = database
        return _opened[url]
