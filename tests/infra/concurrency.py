"""Run one function in many threads at once, to make races real (docs/reliability.md fact 1).

Use with ``@pytest.mark.django_db(transaction=True)`` and ``@pytest.mark.postgres``: on SQLite every
writer is serialised, so a missing lock never shows there.
"""

import threading

from django.db import connection


def run_concurrently(fn, args_list, timeout=30):
    """Call ``fn(*args)`` for every ``args`` in ``args_list``, each in its own thread, released together.

    Returns one ``("ok", result)`` or ``("err", exception class name)`` per call, in order. Each thread
    closes its own database connection. Fails the test if a thread is still running after ``timeout``.
    """
    barrier = threading.Barrier(len(args_list))
    results = [None] * len(args_list)

    def worker(i, args):
        try:
            barrier.wait()
            results[i] = ("ok", fn(*args))
        except Exception as exc:
            results[i] = ("err", type(exc).__name__)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, a)) for i, a in enumerate(args_list)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout)
    assert not any(t.is_alive() for t in threads), "deadlock or hang"
    return results
