-- bench/median.sql: the timing session every timing script starts with
-- (errors stop the script, no parallel workers, no JIT) and
-- pg_temp.median_ms(query, runs [, arg]), the median wall time of a query
-- over `runs` runs after one warm-up; `arg` is bound as $1.
\set ON_ERROR_STOP on
SET client_min_messages = warning;
SET max_parallel_workers_per_gather = 0;
SET jit = off;
CREATE OR REPLACE FUNCTION pg_temp.median_ms(query text, runs int, arg text DEFAULT NULL) RETURNS float8
LANGUAGE plpgsql AS $$
DECLARE
    t0 timestamptz;
    times float8[] := '{}';
    r text;
BEGIN
    EXECUTE query INTO r USING arg;  -- warm-up
    FOR i IN 1..runs LOOP
        t0 := clock_timestamp();
        EXECUTE query INTO r USING arg;
        times := times || (extract(epoch FROM clock_timestamp() - t0) * 1000)::float8;
    END LOOP;
    RETURN (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY x) FROM unnest(times) x);
END $$;
