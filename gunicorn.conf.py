"""gunicorn settings: `gunicorn app:app` reads this file from the working directory.

Threads, because a request spends much of its time waiting on PostgreSQL and Redis, and a
thread waiting frees the GIL for the next one; one process per core, because Python runs
one thread at a time per process. On the 2-core reference machine (PostgreSQL on the same
box) 2 workers x 4 threads did best in `make bench`; set WEB_CONCURRENCY and
GUNICORN_THREADS for a bigger machine."""

import os

worker_class = "gthread"
workers = int(os.environ.get("WEB_CONCURRENCY", os.cpu_count() or 2))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
# Door scanners keep their connection open between scans.
keepalive = 15
# Each worker listens on a socket of its own and the kernel spreads new connections over
# them: without it, one worker can win all of a door's keep-alive connections while the
# other idles (seen in `make bench`: half the throughput).
reuse_port = True
