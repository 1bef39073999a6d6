-- String and field similarities, on characters, for Chinese and
-- international pairs.

SELECT a, b, mdm.levenshtein(a, b) AS lev, round(mdm.levenshtein_similarity(a, b)::numeric, 3) AS lev_sim,
       mdm.damerau_levenshtein(a, b) AS dam, round(mdm.jaro(a, b)::numeric, 3) AS jaro,
       round(mdm.jaro_winkler(a, b)::numeric, 3) AS jw, round(mdm.jaccard(a, b)::numeric, 3) AS jaccard
  FROM (VALUES ('kitten', 'sitting'), ('MARTHA', 'MARHTA'), ('DIXON', 'DICKSONX'), ('ca', 'abc'),
               ('张伟', '张玮'), ('张伟', '張偉'), ('北京华为', '华为北京'), ('zhang wei', 'wei zhang'),
               ('', ''), ('abc', ''), ('华为技术有限公司', '华为技术(北京)有限公司'))
       AS t(a, b)
 ORDER BY a, b;

-- no length limit (fuzzystrmatch's levenshtein stops at 255 characters)
SELECT mdm.levenshtein(repeat('张', 300), repeat('张', 299) || '伟') AS long_cjk,
       mdm.levenshtein(repeat('a', 1000), repeat('b', 1000)) AS long_latin;

-- names, script-aware
SELECT a, b, round(mdm.name_similarity(a, b)::numeric, 3) AS name_sim
  FROM (VALUES ('張偉', '张伟'), ('张伟', 'Zhang Wei'), ('张伟', 'Wei Zhang'), ('Wei Zhang', 'ZHANG, Wei'),
               ('张伟', '张玮'), ('陈静', 'Chen Jing'), ('John Smith', 'Jon Smith'), ('María García', 'Maria Garcia'),
               ('张伟', '李娜'), ('John Smith', 'Mary Jones'))
       AS t(a, b)
 ORDER BY name_sim DESC, a, b;

-- companies, phones, addresses
SELECT a, b, round(mdm.company_similarity(a, b)::numeric, 3) AS company_sim
  FROM (VALUES ('北京华为技术有限公司', '華為技術有限公司'), ('Acme Corp.', 'ACME Inc'),
               ('腾讯科技（深圳）有限公司', '深圳市腾讯计算机系统有限公司'), ('北京银行', '上海银行'), ('阿里巴巴', '比亚迪'))
       AS t(a, b)
 ORDER BY company_sim DESC, a, b;

SELECT a, b, mdm.phone_similarity(a, b) AS phone_sim
  FROM (VALUES ('+86 138 0013 8000', '13800138000'), ('13800138000', '13800138001'),
               ('13800138000', '13912345678'), ('13800138000', 'not a phone'), ('010-12345678', '+86 10 1234 5678'))
       AS t(a, b)
 ORDER BY phone_sim DESC, a, b;

SELECT a, b, round(mdm.address_similarity(a, b)::numeric, 3) AS address_sim
  FROM (VALUES ('北京市朝阳区建国路88号', '中国北京朝阳区建国路八十八号'), ('北京市朝阳区建国路88号', '北京市朝阳区建国路89号'),
               ('北京市朝阳区建国路88号', '上海市浦东新区陆家嘴环路1000号'),
               ('100 Market St, San Francisco', '100 market street san francisco'))
       AS t(a, b)
 ORDER BY address_sim DESC, a, b;

-- NULL in, NULL out; an unknown region is 22023
SELECT mdm.levenshtein(NULL, 'a') IS NULL AS lev, mdm.jaro_winkler('a', NULL) IS NULL AS jw,
       mdm.name_similarity(NULL, '张伟') IS NULL AS name, mdm.name_similarity('   ', '张伟') IS NULL AS empty_name;
SELECT mdm.phone_similarity('13800138000', '13800138000', 'XX');
