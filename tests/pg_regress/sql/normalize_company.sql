-- mdm.normalize_company: the distinguishing core of an organisation's name.

SELECT n, input, mdm.normalize_company(input) AS core
  FROM (VALUES
    (1, '北京华为技术有限公司'), (2, '华为技术（北京）有限公司'), (3, '華為技術有限公司'),
    (4, '腾讯科技（深圳）有限公司'), (5, '騰訊科技(深圳)有限公司'), (6, '阿里巴巴（中国）有限公司'),
    (7, '广东省深圳市比亚迪汽车有限公司'), (8, '上海浦东发展银行股份有限公司'),
    (9, '中国平安保险（集团）股份有限公司'), (10, '小米科技有限責任公司'), (11, '腾讯控股有限公司'),
    (12, '北京银行股份有限公司'), (13, '上海汽车集团股份有限公司'), (14, '中国银行'),
    (15, 'Huawei Technologies Co., Ltd.'), (16, 'ACME Corporation'), (17, 'Acme, Inc.'),
    (18, 'Telefónica S.A.'), (19, 'Müller Maschinenbau GmbH'), (20, 'Lenovo (Beijing) Co., Ltd.'),
    (21, 'ＡＣＭＥ　ＣＯ．，ＬＴＤ．'), (22, '有限公司')
  ) AS t(n, input)
 ORDER BY n;

-- the three spellings of one company agree
SELECT count(DISTINCT mdm.normalize_company(x)) AS distinct_cores
  FROM (VALUES ('北京华为技术有限公司'), ('华为技术（北京）有限公司'), ('華為技術有限公司')) AS t(x);

-- but two banks named after their cities stay apart
SELECT mdm.normalize_company('北京银行') = mdm.normalize_company('上海银行') AS banks_collide;
