-- A built-in sample of CRM customers, as they arrive from several channels
-- (web forms, WeChat, events, spreadsheets, ERP). The same real customer often
-- appears more than once, written differently. `true_entity` is the ground
-- truth: rows with the same value are the same customer; every other pair is
-- not (the two 王芳 are different people who share a common name).
SET client_min_messages = warning;
DROP TABLE IF EXISTS public.crm_customer;
CREATE TABLE public.crm_customer (
    customer_id  int PRIMARY KEY,
    source       text NOT NULL,
    full_name    text,
    company      text,
    phone        text,
    email        text,
    address      text,
    true_entity  int NOT NULL
);
COMMENT ON TABLE public.crm_customer IS
    'customer_mdm demo sample: CRM customers with known duplicates (true_entity is the ground truth)';

INSERT INTO public.crm_customer VALUES
-- 1: one person, four channels, traditional / simplified / pinyin / full-width
( 1, 'web_form',    '张伟',            '北京华为技术有限公司',      '+86 138 0013 8000',     'zhang.wei@example.com',        '北京市朝阳区建国路88号',        1),
( 2, 'wechat',      '張偉',            '華為技術有限公司',          '13800138000',           'ZHANG.WEI@EXAMPLE.COM',        '北京朝阳区建国路88号',          1),
( 3, 'event',       'Zhang Wei',       'Huawei Technologies Co., Ltd.', '138-0013-8000',    ' Zhang.Wei@Example.com ',      '88 Jianguo Rd, Chaoyang, Beijing', 1),
( 4, 'spreadsheet', '张　伟 先生',      '华为技术（北京）有限公司',   '＋８６　１３８００１３８０００', 'ｚｈａｎｇ．ｗｅｉ＠ｅｘａｍｐｌｅ．ｃｏｍ', '中国北京市朝阳区建国路八十八号', 1),
-- 2: the same banker from an ERP export and a web form
( 5, 'erp',         '李娜',            '上海浦东发展银行股份有限公司', '0086-139-1234-5678',   'li.na@spdb.example.cn',        '上海市浦东新区陆家嘴环路1000号', 2),
( 6, 'web_form',    'Li Na',           'SPDB',                      '13912345678',           'Li.Na@SPDB.example.cn',        '上海浦东新区陆家嘴环路1000号',   2),
( 7, 'wechat',      U&'李\200B娜',      '浦发银行',                  '(86)139 1234 5678',     NULL,                           NULL,                            2),
-- 3 and 4: two different people called 王芳 (a very common name)
( 8, 'event',       '王芳',            '广州立白企业集团有限公司',   '13700001111',           'wangfang@liby.example.cn',     '广州市荔湾区',                  3),
( 9, 'web_form',    '王芳',            '北京字节跳动科技有限公司',   '13622223333',           'fang.wang@bytedance.example.com', '北京市海淀区',                4),
-- 5: 陈静 with a Gmail alias
(10, 'web_form',    '陈静',            '阿里巴巴（中国）有限公司',   '+86 135 0000 7777',     'chen.jing@gmail.com',          '杭州市余杭区文一西路969号',      5),
(11, 'event',       '陳靜',            '阿里巴巴(中國)有限公司',     '135 0000 7777',         'chenjing+events@gmail.com',    '浙江省杭州市余杭区文一西路969号', 5),
-- 6: a landline contact at Tencent
(12, 'erp',         '刘洋',            '腾讯科技（深圳）有限公司',   '0755-86013388',         'liuyang@tencent.example.com',  '深圳市南山区科技中一路腾讯大厦', 6),
(13, 'spreadsheet', '劉洋',            '騰訊科技(深圳)有限公司',     '+86 755 8601 3388 ext. 12', 'LiuYang@Tencent.example.com', '广东省深圳市南山区科技中一路腾讯大厦', 6),
-- 7: an American customer, three spellings
(14, 'web_form',    'John Smith',      'Acme Corp.',                '+1 (415) 555-0132',     'john.smith@acme.example.com',  '100 Market St, San Francisco, CA', 7),
(15, 'erp',         'SMITH, John',     'ACME Corporation',          '415.555.0132',          'John.Smith@ACME.example.com',  '100 Market Street, San Francisco, CA 94105', 7),
(16, 'event',       'Mr. John  Smith', 'Acme Inc',                  '(415) 555 0132',        'jsmith@acme.example.com',      NULL,                            7),
-- 8: accents and umlauts
(17, 'web_form',    'María García',    'Telefónica S.A.',           '+34 912 345 678',       'maria.garcia@telefonica.example.es', 'Calle Gran Vía 28, Madrid', 8),
(18, 'spreadsheet', 'Maria Garcia',    'TELEFONICA SA',             '0034 912345678',        'Maria.Garcia@Telefonica.example.es', 'C/ Gran Via 28, Madrid',  8),
(19, 'erp',         'Hans Müller',     'Müller Maschinenbau GmbH',  '+49 89 1234567',        'hans.mueller@mueller-mb.example.de', 'Leopoldstraße 10, München', 9),
(20, 'event',       'HANS MUELLER',    'Mueller Maschinenbau GmbH', '089 1234567',           'Hans.Mueller@Mueller-MB.example.de', 'Leopoldstrasse 10, Muenchen', 9),
-- 10: a WeChat lead with stray whitespace and a tab
(21, 'wechat',      E'赵敏\t',          '小米科技有限责任公司',       '186 1000 2000',         NULL,                           '北京市海淀区清河中街68号',       10),
(22, 'web_form',    ' 趙敏 ',           '小米科技有限責任公司',       '18610002000',           'zhaomin@xiaomi.example.com',   '北京海淀区清河中街68号',         10),
-- singles: no duplicate anywhere
(23, 'web_form',    '孙丽',            '中国平安保险（集团）股份有限公司', '13511112222',     'sunli@pingan.example.cn',      '深圳市福田区益田路5033号',       11),
(24, 'event',       '周杰',            '网易（杭州）网络有限公司',    '15988887777',           'zhoujie@163.example.com',      '杭州市滨江区网商路599号',        12),
(25, 'erp',         'Emily Chen',      'Chen & Partners LLC',       '+1 212 555 0199',       'emily@chenpartners.example.com', '350 5th Ave, New York, NY',    13),
(26, 'spreadsheet', 'Wei Zhang',       'Zhang Consulting Ltd.',     '+44 20 7946 0958',      'wei.zhang@zhangconsulting.example.co.uk', '10 Downing St, London', 14),
(27, 'web_form',    '吴强',            '比亚迪股份有限公司',         '0755-89888888',         'wuqiang@byd.example.com',      '深圳市坪山区比亚迪路3009号',     15),
(28, 'wechat',      '郑秀英',          NULL,                        '13299990000',           NULL,                           '成都市武侯区',                  16);
