-- mdm.fingerprint and mdm.ngram_fingerprint: OpenRefine key-collision keys,
-- CJK-aware.

SELECT input, mdm.fingerprint(input) AS fingerprint, mdm.ngram_fingerprint(input) AS bigrams,
       mdm.ngram_fingerprint(input, 1) AS unigrams
  FROM (VALUES ('Tom Cruise'), ('Cruise, Tom'), ('Tóm Crüise'), ('Acme, Inc.'), ('ACME INC'),
               ('Müller GmbH'), ('ＡＣＭＥ　ＩＮＣ'), ('华为技术有限公司'), ('華為技術有限公司'),
               ('华为技术（北京）有限公司'), ('技术 华为'), ('「小米」科技'), ('Paris'), ('banana'),
               ('华为 Huawei'), ('...'))
       AS t(input)
 ORDER BY input;

-- key collision: values that cluster together
SELECT mdm.fingerprint(v) AS key, array_agg(v ORDER BY v) AS members
  FROM (VALUES ('Tom Cruise'), ('Cruise, Tom'), ('tom  cruise'), ('Acme, Inc.'), ('ACME INC'), ('acme inc.'),
               ('華為技術'), ('华为技术'), ('ＨＵＡＷＥＩ'), ('huawei')) AS t(v)
 GROUP BY 1
 ORDER BY 1;

-- n must be 1 or more: SQLSTATE 22023
SELECT mdm.ngram_fingerprint('Paris', 0);
\set VERBOSITY sqlstate
SELECT mdm.ngram_fingerprint('Paris', -3);
\set VERBOSITY default
