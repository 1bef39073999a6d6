-- bench/peers/session.sql: the session every SQL runner starts with: errors
-- stop the script; no JIT; one backend without parallel query, so that the
-- runners are compared on equal terms; :backend_pid for peak_memory.sql.
\set ON_ERROR_STOP on
SET client_min_messages = warning;
SET jit = off;
SET max_parallel_workers_per_gather = 0;
SELECT pg_backend_pid() AS backend_pid \gset
