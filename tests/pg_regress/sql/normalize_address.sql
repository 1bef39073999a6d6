-- mdm.normalize_address: a key for comparing postal addresses.

SELECT n, input, mdm.normalize_address(input) AS key
  FROM (VALUES
    (1, '北京市朝阳区建国路88号'), (2, '北京朝阳区建国路88号'), (3, '中国北京市朝阳区建国路八十八号'),
    (4, '浙江省杭州市余杭区文一西路969号'), (5, '杭州市余杭区文一西路969号'), (6, '浙江杭州余杭区文一西路969号'),
    (7, '广东省深圳市南山区科技中一路腾讯大厦'), (8, '深圳市南山区科技中一路腾讯大厦'),
    (9, '上海市浦东新区陆家嘴环路1000号'), (10, '上海浦東新區陸家嘴環路1000號'),
    (11, '北京市海淀区清河中街68号十二楼三单元一零二室'), (12, '北京市朝阳区三里屯路19号'),
    (13, '上海市黄浦区市府路1号'), (14, '广西壮族自治区南宁市青秀区民族大道100号'),
    (15, '１００ Market St, San Francisco, CA'), (16, '100 Market Street, San Francisco, CA 94105'),
    (17, '350 5th Ave., Apt 12B, New York, NY'), (18, 'Leopoldstraße 10, München'),
    (19, '10 Downing St, London SW1A 2AA, UK'), (20, 'Calle Gran Vía 28, Madrid')
  ) AS t(n, input)
 ORDER BY n;

-- equivalent spellings agree
SELECT count(DISTINCT mdm.normalize_address(a)) AS distinct_keys
  FROM (VALUES ('北京市朝阳区建国路88号'), ('北京朝阳区建国路88号'), ('中国北京市朝阳区建国路八十八号')) AS t(a);
SELECT count(DISTINCT mdm.normalize_address(a)) AS distinct_keys
  FROM (VALUES ('浙江省杭州市余杭区文一西路969号'), ('杭州市余杭区文一西路969号'), ('浙江杭州余杭区文一西路969号')) AS t(a);

-- different addresses stay different
SELECT mdm.normalize_address('北京市朝阳区建国路88号') = mdm.normalize_address('北京市朝阳区建国路89号') AS same;
