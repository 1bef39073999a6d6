-- mdm.normalize_phone, mdm.phone_type, mdm.is_valid_phone: E.164 on
-- libphonenumber's metadata, default region 'CN'.

SELECT n, input, region, mdm.normalize_phone(input, region) AS e164,
       mdm.phone_type(input, region) AS type, mdm.is_valid_phone(input, region) AS valid
  FROM (VALUES
    (1, '+86 138 0013 8000', 'CN'), (2, '0086-138-0013-8000', 'CN'), (3, '(86)138 0013 8000', 'CN'),
    (4, '8613800138000', 'CN'), (5, '138-0013-8000', 'CN'), (6, '１３８００１３８０００', 'CN'),
    (7, '＋８６　１３８　００１３　８０００', 'CN'), (8, '010-12345678', 'CN'), (9, '(010) 1234 5678', 'CN'),
    (10, '0755-86013388转12', 'CN'), (11, '+86 755 8601 3388 ext. 12', 'CN'), (12, '400-810-8888', 'CN'),
    (13, '+1 (415) 555-0132', 'CN'), (14, '415.555.0132', 'US'), (15, '0034 912345678', 'CN'),
    (16, '089 1234567', 'DE'), (17, '020 7946 0958', 'gb'), (18, '9123 4567', 'HK'),
    (19, '1380013800', 'CN'), (20, '12345', 'CN'), (21, 'abc', 'CN'), (22, '089 1234567', 'CN')
  ) AS t(n, input, region)
 ORDER BY n;

-- the default region is CN
SELECT mdm.normalize_phone('13800138000') AS default_cn, mdm.phone_type('010-12345678') AS landline;

-- an unknown region is a caller's error: SQLSTATE 22023
SELECT mdm.normalize_phone('13800138000', 'XX');
\set VERBOSITY sqlstate
SELECT mdm.normalize_phone('13800138000', 'China');
SELECT mdm.is_valid_phone('13800138000', '');
\set VERBOSITY default

-- the same customer's phone from five channels gives one value
SELECT count(DISTINCT mdm.normalize_phone(p)) AS distinct_numbers
  FROM (VALUES ('+86 138 0013 8000'), ('13800138000'), ('138-0013-8000'), ('＋８６　１３８００１３８０００'),
               ('0086 13800138000')) AS t(p);
