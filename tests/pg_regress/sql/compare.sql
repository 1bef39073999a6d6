-- mdm.compare: two customer records scored under a Fellegi-Sunter match
-- model, with the level, m, u and weight of every role and an explanation.

-- The built-in model: every role's comparison levels, tried in order, with
-- m = P(level | same customer), u = P(level | different customers) and the
-- match weight log2(m / u).
SELECT r.key AS role, l.n AS "#", l.level->>'label' AS level, l.level->'when' AS "when",
       l.level->'m' AS m, l.level->'u' AS u,
       round(log(2, ((l.level->>'m')::numeric / (l.level->>'u')::numeric)), 2) AS weight,
       coalesce(l.level->'tf_adjust', 'false') AS tf
  FROM jsonb_each(mdm.default_model()->'roles') r,
       jsonb_array_elements(r.value->'levels') WITH ORDINALITY l(level, n)
 ORDER BY array_position(ARRAY['name','company','phone','email','address','id_number','birth_date','kind','updated_at'], r.key), l.n;

SELECT mdm.default_model()->>'name' AS model, mdm.default_model()->'prior' AS prior,
       round(log(2, 0.00001 / (1 - 0.00001)), 2) AS prior_weight;

CREATE TEMP TABLE pair (id text PRIMARY KEY, a jsonb, b jsonb);
INSERT INTO pair VALUES
-- one customer from two channels: traditional/simplified name, +86 and a
-- phone list, company with the region moved, a Gmail alias, the same ID
('match',
 '{"name": "張偉", "company": "北京华为技术有限公司", "phone": "+86 138 0013 8000",
   "email": "Zhang.Wei+crm@gmail.com", "address": "北京市海淀区中关村大街1号", "id_number": "11010519491231002X",
   "kind": "person", "updated_at": "2026-11-20T09:30:00+08:00"}',
 '{"name": "张伟", "company": "华为技术（北京）有限公司", "phone": ["010-12345678", "13800138000"],
   "email": "zhangwei@gmail.com", "address": "北京海淀区中关村大街一号", "id_number": "110105 19491231 002x",
   "kind": "个人", "updated_at": "2026-11-20 02:00:00Z"}'),
-- two different customers with the same, common name
('non-match',
 '{"name": "王芳", "company": "上海银行", "phone": "13912345678", "email": "wangfang@163.com",
   "address": "上海市浦东新区陆家嘴环路1000号", "kind": "person"}',
 '{"name": "王芳", "company": "深圳市腾讯计算机系统有限公司", "phone": "13800138000", "email": "fang.wang@qq.com",
   "address": "深圳市南山区科技园", "kind": "person"}');

-- the matching pair, role by role
SELECT r.key AS role, r.value->>'level' AS level, r.value->>'a' AS a, r.value->>'b' AS b,
       r.value->'similarity' AS sim, r.value->'days_apart' AS days, r.value->'weight' AS weight,
       r.value->'tf_adjustment' AS tf_adj
  FROM pair, jsonb_each(mdm.compare(a, b)->'roles') r
 WHERE id = 'match'
 ORDER BY array_position(ARRAY['name','company','phone','email','address','id_number','kind','updated_at'], r.key);

SELECT id, c->'match_weight' AS weight, round((c->>'match_probability')::numeric, 6) AS probability,
       c->>'explanation' AS explanation
  FROM pair, mdm.compare(a, b) c
 ORDER BY id;

-- the non-matching pair, role by role: only the (common) name agrees
SELECT r.key AS role, r.value->>'level' AS level, r.value->>'a' AS a, r.value->>'b' AS b,
       r.value->'weight' AS weight
  FROM pair, jsonb_each(mdm.compare(a, b)->'roles') r
 WHERE id = 'non-match'
 ORDER BY array_position(ARRAY['name','company','phone','email','address','id_number','kind','updated_at'], r.key);

-- what single pieces of evidence are worth under the default model
SELECT what, round((c->>'match_weight')::numeric, 2) AS total, round((c->>'match_probability')::numeric, 6) AS probability,
       c->>'explanation' AS explanation
  FROM (VALUES
    ('same valid ID',          '{"id_number": "11010519491231002X"}'::jsonb, '{"id_number": "11010519491231002x"}'::jsonb),
    ('conflicting valid IDs',  '{"name": "王芳", "phone": "13800138000", "id_number": "11010519491231002X"}',
                               '{"name": "王芳", "phone": "13800138000", "id_number": "110101199003074477"}'),
    ('same mobile only',       '{"phone": "13800138000"}', '{"phone": "+86 138-0013-8000"}'),
    ('same landline only',     '{"phone": "010-12345678"}', '{"phone": "+86 10 1234 5678"}'),
    ('mobile one digit apart', '{"phone": "13800138000"}', '{"phone": "13800138001"}'),
    ('common name only',       '{"name": "王伟"}', '{"name": "王伟"}'),
    ('rare name only',         '{"name": "欧阳娜娜"}', '{"name": "歐陽娜娜"}'),
    ('name across scripts',    '{"name": "张伟", "company": "腾讯"}', '{"name": "Zhang Wei", "company": "腾讯科技（深圳）有限公司"}'),
    ('person vs company',      '{"name": "华为", "kind": "company"}', '{"name": "华为", "kind": "person"}'),
    ('nothing in common',      '{"name": "John Smith", "email": "john@example.com"}', '{"name": "Mary Jones", "email": "mary@example.org"}')
  ) AS t(what, a, b), mdm.compare(a, b) c
 ORDER BY total DESC, what;

-- missing roles give level null with weight 0; keys that are not roles are
-- reported and ignored; values that normalize to nothing are shown as unusable
SELECT c->'unknown_roles' AS unknown_roles, c->'roles'->'phone' AS phone, c->'roles'->'email' AS email
  FROM mdm.compare('{"name": "Zhang Wei", "phone": "n/a", "wechat": "zw_1988", "fax": "010-1"}',
                   '{"name": "张伟", "phone": null, "email": "zw@example.com", "fax": "010-2"}') c;

-- NULL in, NULL out; a NULL model is the default model
SELECT mdm.compare(NULL, '{"name": "张伟"}') IS NULL AS null_a,
       mdm.compare('{"name": "张伟"}', NULL) IS NULL AS null_b,
       mdm.compare('{"name": "张伟"}', '{"name": "张伟"}', NULL)
         = mdm.compare('{"name": "张伟"}', '{"name": "张伟"}', mdm.default_model()) AS null_model_is_default;

-- symmetric: compare(a, b) and compare(b, a) have the same weight
SELECT id, (mdm.compare(a, b)->'match_weight') = (mdm.compare(b, a)->'match_weight') AS symmetric
  FROM pair ORDER BY id;

-- term frequencies: a shared switchboard number is weak evidence once the
-- model knows many records carry it; spellings of one value add up
SELECT label, round((mdm.compare('{"phone": "010-12345678"}', '{"phone": "+861012345678"}', m)->>'match_weight')::numeric, 2) AS total,
       mdm.compare('{"phone": "010-12345678"}', '{"phone": "+861012345678"}', m)->'roles'->'phone'->'weight' AS phone_weight
  FROM (VALUES
    ('default model', mdm.default_model()),
    ('switchboard in 2% of records',
     jsonb_set(mdm.default_model(), '{term_frequencies,phone}', '{"010 1234 5678": 0.01, "+86-10-12345678": 0.01}'))
  ) AS t(label, m)
 ORDER BY label;

-- a model is plain jsonb: a smaller model with two roles and its own prior
SELECT c->'match_weight' AS weight, c->'roles'->'name'->>'level' AS name_level,
       c->'roles'->'company'->>'level' AS company_level, c->>'explanation' AS explanation
  FROM mdm.compare('{"name": "Acme", "company": "Acme Inc."}', '{"name": "ACME", "company": "Acme Corporation"}',
       '{"name": "tiny", "prior": 0.01, "roles": {"name": {"levels": [
           {"label": "same", "when": "exact", "m": 0.9, "u": 0.01},
           {"label": "other", "when": "else", "m": 0.1, "u": 0.99}]}}}') c;

-- bad input: a malformed model or record is SQLSTATE 22023 naming the key
SELECT mdm.compare('{}', '{}', jsonb_set(mdm.default_model(), '{roles,name,levels,1,m}', '"high"'));
SELECT mdm.compare('{}', '{}', jsonb_set(mdm.default_model(), '{prior}', '1'));
SELECT mdm.compare('{}', '{}', mdm.default_model() || '{"prio": 0.1}');
SELECT mdm.compare('{}', '{}', jsonb_set(mdm.default_model(), '{roles,fax}', '{"levels": []}'));
SELECT mdm.compare('{}', '{}', jsonb_set(mdm.default_model(), '{roles,kind,levels,1,when}', '"exact"'));
SELECT mdm.compare('{}', '{}', jsonb_set(mdm.default_model(), '{roles,name,levels,0,when}', '"valid_exact"'));
SELECT mdm.compare('{}', '{}', jsonb_set(mdm.default_model(), '{roles,name,levels,1,tf_adjust}', 'true'));
SELECT mdm.compare('{}', '{}', jsonb_set(mdm.default_model(), '{term_frequencies,name,张伟}', '3'));
SELECT mdm.compare('{}', '{}', '[]');
SELECT mdm.compare('[]', '{}');
SELECT mdm.compare('{}', '{"name": {"first": "Wei", "last": "Zhang"}}');
SELECT mdm.compare('{"phone": [["13800138000"]]}', '{}');
\set VERBOSITY sqlstate
SELECT mdm.compare('{}', '{}', '{"prior": 0.5}');
SELECT mdm.compare('{"kind": true}', '{}');
\set VERBOSITY default
