-- bench/functions_data.sql: 1M rows of CRM-shaped text for the per-call
-- function benchmark, deterministic (setseed). Run by bench/functions.sh.
\set ON_ERROR_STOP on
SET client_min_messages = warning;
SELECT setseed(0.20261122) \g /dev/null
DROP TABLE IF EXISTS bench_rows;
CREATE TABLE bench_rows AS
WITH p AS (
    SELECT g,
           (ARRAY['张','王','李','赵','陈','刘','杨','黄','周','吴','徐','孙','胡','朱','高','林','何','郭','马','罗',
                  '張','陳','劉','楊','黃','趙','欧阳','司马'])[1 + floor(random() * 28)::int] AS sur,
           (ARRAY['伟','芳','娜','敏','静','丽','强','磊','军','洋','勇','艳','杰','娟','涛','明','超','秀英','桂英','建华',
                  '偉','靜','麗','強','傑','濤','國強','志明'])[1 + floor(random() * 28)::int] AS given,
           (ARRAY['Zhang','Wang','Li','Smith','Johnson','García','Müller','Chen','Liu','Brown','Nguyen','Kim',
                  'Martin','Rossi','Dubois','O''Brien'])[1 + floor(random() * 16)::int] AS last,
           (ARRAY['Wei','Fang','Na','John','Mary','María','Hans','Jing','Yang','David','Anna','José','Pierre',
                  'Sophie','Liam','Emma'])[1 + floor(random() * 16)::int] AS first,
           (ARRAY['华为技术','腾讯科技','阿里巴巴','小米科技','比亚迪','字节跳动','京东','网易','美团','百度在线网络技术',
                  'Acme','Globex','Initech','Umbrella','Stark Industries','Wayne Enterprises'])[1 + floor(random() * 16)::int] AS co,
           (ARRAY['北京','上海','深圳','广州','杭州','(北京)','（上海）','','',''])[1 + floor(random() * 10)::int] AS region,
           (ARRAY['有限公司','股份有限公司','有限責任公司','集团','Co., Ltd.','Inc.','GmbH','LLC'])[1 + floor(random() * 8)::int] AS legal,
           (ARRAY['example.com','qq.com','163.com','gmail.com','outlook.com','acme.example.cn'])[1 + floor(random() * 6)::int] AS domain,
           (130 + floor(random() * 60))::int AS mprefix,
           lpad(floor(random() * 100000000)::int::text, 8, '0') AS mrest,
           floor(random() * 100)::int AS r
      FROM generate_series(1, 1000000) g
)
SELECT g,
       -- names: 60 % Chinese (some traditional, some spaced, some with a title), 40 % Latin
       CASE WHEN r < 45 THEN sur || given
            WHEN r < 52 THEN sur || ' ' || given
            WHEN r < 60 THEN sur || given || '先生'
            WHEN r < 85 THEN first || ' ' || last
            WHEN r < 95 THEN upper(last) || ', ' || first
            ELSE 'Mr. ' || first || ' ' || last END AS name,
       -- companies
       CASE WHEN r % 2 = 0 THEN region || co || legal ELSE co || region || legal END AS company,
       -- phones: mobiles in many shapes, landlines, full width
       CASE WHEN r < 30 THEN mprefix || mrest
            WHEN r < 45 THEN '+86 ' || mprefix || ' ' || substr(mrest, 1, 4) || ' ' || substr(mrest, 5)
            WHEN r < 60 THEN mprefix || '-' || substr(mrest, 1, 4) || '-' || substr(mrest, 5)
            WHEN r < 70 THEN '0086' || mprefix || mrest
            WHEN r < 85 THEN '010-' || substr(mrest, 1, 8)
            WHEN r < 95 THEN '(0755) ' || substr(mrest, 1, 4) || ' ' || substr(mrest, 5, 4)
            ELSE translate(mprefix || mrest, '0123456789', '０１２３４５６７８９') END AS phone,
       -- e-mails: case, spaces, plus tags
       CASE WHEN r < 50 THEN lower(first) || '.' || lower(last) || g || '@' || domain
            WHEN r < 80 THEN ' ' || first || '.' || last || g || '@' || upper(domain) || ' '
            ELSE lower(first) || g || '+crm@' || domain END AS email
  FROM p;
ALTER TABLE bench_rows SET (parallel_workers = 0);
VACUUM ANALYZE bench_rows;
