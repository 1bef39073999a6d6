-- The internal helpers of the registry, one home each for a fact that SQL
-- objects need.

-- The cap of a block per key kind (the one formula, which batch detection
-- uses too): strong kinds at max_block_size, weak kinds (names alone,
-- addresses and phone halves with initials, an organisation's first word)
-- at a tenth of it, shrinking above 100,000 rows, at least 3.
SELECT k AS key_kind,
       mdm._key_cap(k, 100, 1000) AS cap_1k,
       mdm._key_cap(k, 100, 1000000) AS cap_1m,
       mdm._key_cap(k, 20, 10000000) AS cap_small_10m
  FROM unnest(ARRAY['p', 'e', 'i', 'k', 'n', 't', 'j', 'dm', 'c', 'o', 'a', 'q', 'b', 'zz']) AS k
 ORDER BY k;

-- The progress of a running job is read back from its activity line.
SELECT mdm._progress_of('customer_mdm progress {"phase": "blocking", "done": 3}') AS running,
       mdm._progress_of('SELECT 1') IS NULL AS other_query,
       mdm._progress_of('customer_mdm progress {broken') IS NULL AS broken;

-- _clear_state takes the events of the triggers only.
SELECT mdm._clear_state(ARRAY[0]::oid[], 'unregister');
SELECT mdm._clear_state(ARRAY[0]::oid[], 'vacuum');
SELECT mdm._clear_state(ARRAY[0]::oid[], 'truncate');

-- The prefix customer_mdm is reserved: a misspelt setting is an error.
SET customer_mdm.wrokers = 4;
SET customer_mdm.workers = 2;
SHOW customer_mdm.workers;
RESET customer_mdm.workers;
