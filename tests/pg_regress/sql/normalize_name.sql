-- mdm.normalize_name, mdm.pinyin and mdm.name_keys: names across scripts.

SELECT n, input, mdm.normalize_name(input) AS normalized
  FROM (VALUES
    (1, '张伟'), (2, '張偉'), (3, '张 伟'), (4, '张·伟'), (5, '张　伟 先生'),
    (6, U&'李\200B娜'), (7, '陳靜'), (8, '王总'), (9, '李老师'), (10, '赵经理'),
    (11, '约翰·史密斯'), (12, '欧阳 娜娜'), (13, '张伟(销售部)'),
    (14, 'Zhang Wei'), (15, 'Wei Zhang'), (16, 'ZHANG Wei'), (17, 'SMITH, John'),
    (18, 'Mr. John  Smith'), (19, 'Dr. María García'), (20, 'Prof. Dr. Hans Müller'),
    (21, 'Seán O''Brien'), (22, 'Jean-Pierre Dupont'), (23, 'John Smith Jr.'),
    (24, 'ＪＯＨＮ　ＳＭＩＴＨ'), (25, '张伟 David'), (26, '山田 太郎'), (27, '先生')
  ) AS t(n, input)
 ORDER BY n;

-- the same person from four channels gives one value
SELECT count(DISTINCT mdm.normalize_name(x)) AS distinct_names
  FROM (VALUES ('張偉'), ('张 伟'), ('张·伟'), ('张伟先生')) AS t(x);

-- pinyin: the most common reading of each character
SELECT input, mdm.pinyin(input) AS pinyin
  FROM (VALUES ('张伟'), ('張偉'), ('华为技术有限公司'), ('重庆'), ('曾国藩'), ('李娜 Li Na'), ('Zhang Wei'))
       AS t(input)
 ORDER BY input;

-- name_keys: every reading of heteronyms, keys shared across scripts
SELECT input, mdm.name_keys(input) AS keys
  FROM (VALUES ('张伟'), ('張偉'), ('Zhang Wei'), ('Wei Zhang'), ('ZHANG Wei'), ('Zhangwei'),
               ('曾伟'), ('单雄信'), ('欧阳娜娜'), ('John Smith'), ('Jon Smyth'))
       AS t(input)
 ORDER BY input;

-- which pairs share at least one key (&& is array overlap)
SELECT a, b, mdm.name_keys(a) && mdm.name_keys(b) AS share_a_key
  FROM (VALUES ('张伟', '張偉'), ('张伟', 'Zhang Wei'), ('张伟', 'Wei Zhang'), ('张伟', 'ZHANG Wei'),
               ('陈静', 'Jing Chen'), ('欧阳娜娜', 'Nana Ouyang'), ('曾国藩', 'Zeng Guofan'),
               ('John Smith', 'Jon Smyth'), ('张伟', '李娜'), ('张伟', '吴强'), ('王芳', '王方圆'))
       AS t(a, b)
 ORDER BY a, b;

-- name_keys backs a GIN index for blocking
CREATE TABLE person (id int PRIMARY KEY, name text);
INSERT INTO person VALUES (1, '张伟'), (2, 'Wei Zhang'), (3, '李娜'), (4, '張偉'), (5, 'John Smith');
CREATE INDEX person_name_keys ON person USING gin (mdm.name_keys(name));
SET enable_seqscan = off;
SELECT id, name FROM person WHERE mdm.name_keys(name) && mdm.name_keys('ZHANG Wei') ORDER BY id;
RESET enable_seqscan;
DROP TABLE person;
