-- bench/peers/peak_memory.sql: the end of every SQL runner: this backend's
-- peak resident memory (VmHWM) into the file $MDM_BENCH_MEMFILE, for the report.
\setenv MDM_BENCH_PID :backend_pid
\! grep VmHWM /proc/$MDM_BENCH_PID/status > "$MDM_BENCH_MEMFILE"
