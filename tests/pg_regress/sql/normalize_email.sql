-- mdm.normalize_email, mdm.email_key, mdm.is_valid_email.

SELECT n, input, mdm.normalize_email(input) AS normalized, mdm.email_key(input) AS key,
       mdm.is_valid_email(input) AS valid
  FROM (VALUES
    (1, ' Zhang.Wei@Example.COM '), (2, 'ｚｈａｎｇ．ｗｅｉ＠ｅｘａｍｐｌｅ．ｃｏｍ'), (3, 'li.na@spdb。example。cn'),
    (4, 'mailto:li.na@example.cn'), (5, 'Zhang Wei <zhang.wei@example.com>'), (6, '12345678@qq.com'),
    (7, 'Chen.Jing+events@gmail.com'), (8, 'chenjing@googlemail.com'), (9, 'c.h.e.n.jing@gmail.com'),
    (10, 'john+crm@outlook.com'), (11, 'john+crm@acme.example.com'), (12, 'hans@müller.de'),
    (13, 'info@例子.中国'), (14, 'no-at-sign.example.com'), (15, 'two@@example.com'),
    (16, 'a@b@example.com'), (17, 'dot.@example.com'), (18, 'a..b@example.com'),
    (19, 'user@localhost'), (20, 'user@example.123'), (21, 'user@-example.com'), (22, 'zhang wei@example.com')
  ) AS t(n, input)
 ORDER BY n;

-- the same mailbox from four channels gives one key
SELECT count(DISTINCT mdm.email_key(e)) AS distinct_keys
  FROM (VALUES ('chen.jing@gmail.com'), ('ChenJing+events@GMAIL.com'), ('chenjing@googlemail.com'),
               (' Chen.Jing@gmail.com ')) AS t(e);

-- normalize_email backs a unique expression index: a full-width spelling of
-- the same address violates it
CREATE TABLE signup (email text);
CREATE UNIQUE INDEX signup_email_key ON signup (mdm.normalize_email(email));
INSERT INTO signup VALUES ('zhang.wei@example.com');
INSERT INTO signup VALUES ('ＺＨＡＮＧ．ＷＥＩ＠ｅｘａｍｐｌｅ．ｃｏｍ');
SELECT email FROM signup ORDER BY email;
DROP TABLE signup;
