-- bench/compare_data.sql: 200k pairs of 6-role customer records (name,
-- company, phone, email, address, id_number) built from bench_rows: half
-- are the same customer entered again through another channel (traditional
-- characters, the phone written differently, the e-mail in capitals, the
-- address without 市, the ID with a lower-case x and spaces), half are two
-- unrelated rows. Deterministic (setseed). Run by bench/functions.sh after
-- functions_data.sql.
\set ON_ERROR_STOP on
SET client_min_messages = warning;
SELECT setseed(0.1122) \g /dev/null

-- A PRC resident ID with its ISO 7064 MOD 11-2 check character.
CREATE FUNCTION pg_temp.cn_id(body text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT body || substr('10X98765432', 1 + (SELECT sum(substr(body, i, 1)::int
                    * (ARRAY[7,9,10,5,8,4,2,1,6,3,7,9,10,5,8,4,2])[i]) FROM generate_series(1, 17) i)::int % 11, 1)
$$;

DROP TABLE IF EXISTS bench_records;
CREATE TABLE bench_records AS
SELECT g, name, company, phone, email,
       CASE WHEN g % 3 = 0 THEN (g % 900 + 1) || ' ' || (ARRAY['Market St', 'Main Street', 'Baker Street', 'Rue de Rivoli'])[1 + g % 4]
                                || ', ' || (ARRAY['San Francisco', 'London', 'Paris', 'Berlin'])[1 + g % 4]
            ELSE (ARRAY['北京市', '上海市', '广东省深圳市', '浙江省杭州市'])[1 + g % 4]
                 || (ARRAY['朝阳区', '浦东新区', '南山区', '西湖区', '海淀区'])[1 + g % 5]
                 || (ARRAY['建国路', '陆家嘴环路', '科技园南路', '文三路', '中关村大街'])[1 + (g / 7) % 5]
                 || (g % 300 + 1) || '号' END AS address,
       pg_temp.cn_id((ARRAY['110105', '310115', '440305', '330106'])[1 + g % 4]
                     || (1950 + g % 50) || lpad((1 + g % 12)::text, 2, '0') || lpad((1 + g % 28)::text, 2, '0')
                     || lpad((g % 1000)::text, 3, '0')) AS id_number
  FROM bench_rows
 WHERE g <= 200000;

DROP TABLE IF EXISTS bench_record_pairs;
CREATE TABLE bench_record_pairs AS
SELECT r.g, r.g % 2 = 0 AS same_customer,
       jsonb_build_object('name', r.name, 'company', r.company, 'phone', r.phone, 'email', r.email,
                          'address', r.address, 'id_number', r.id_number) AS a,
       CASE WHEN r.g % 2 = 0 THEN
         jsonb_build_object('name', translate(r.name, '张陈刘伟静丽杨黄赵', '張陳劉偉靜麗楊黃趙'),
                            'company', r.company,
                            'phone', regexp_replace(r.phone, '[^0-9０-９+＋]', '', 'g'),
                            'email', upper(r.email),
                            'address', replace(r.address, '市', ''),
                            'id_number', lower(substr(r.id_number, 1, 6) || ' ' || substr(r.id_number, 7)))
       ELSE
         jsonb_build_object('name', o.name, 'company', o.company, 'phone', o.phone, 'email', o.email,
                            'address', o.address, 'id_number', o.id_number)
       END AS b
  FROM bench_records r
  JOIN bench_records o ON o.g = 1 + (r.g::bigint * 7919) % 200000;
ALTER TABLE bench_record_pairs SET (parallel_workers = 0);
VACUUM ANALYZE bench_record_pairs;
