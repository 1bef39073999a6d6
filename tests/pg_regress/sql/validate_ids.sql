-- mdm.normalize_id_number, mdm.is_valid_cn_resident_id, mdm.is_valid_credit_code.

-- resident identity card numbers (身份证, GB 11643-1999)
SELECT n, input, mdm.normalize_id_number(input) AS normalized, mdm.is_valid_cn_resident_id(input) AS valid
  FROM (VALUES
    (1, '11010519491231002X'),        -- the standard's example
    (2, '11010519491231002x'),        -- lower-case x accepted
    (3, '110105 19491231 002X'),      -- spaces
    (4, '110105-1949-1231-002X'),     -- dashes
    (5, '１１０１０５１９４９１２３１００２Ｘ'),  -- full width
    (6, '440524188001010014'),        -- the standard's other example
    (7, '110105194912310021'),        -- wrong check character
    (8, '11010519490229002X'),        -- 29 February 1949 does not exist
    (9, '110105200002290021'),        -- 29 February 2000 does (check character computed)
    (10, '990105194912310028'),       -- province 99 does not exist
    (11, '110105491231002'),          -- 15-digit old number
    (12, '11010519491331002X'),       -- month 13
    (13, 'not an id')
  ) AS t(n, input)
 ORDER BY n;

-- unified social credit codes (统一社会信用代码, GB 32100-2015)
SELECT n, input, mdm.is_valid_credit_code(input) AS valid
  FROM (VALUES
    (1, '91350100M000100Y43'),        -- the standard's example
    (2, '91350100m000100y43'),        -- lower case
    (3, '9135 0100 M000 100Y 43'),    -- spaces
    (4, '914403001922038216'),        -- a real company's code
    (5, '91350100M000100Y44'),        -- wrong mod-31 check character
    (6, '91350100M000100Y56'),        -- mod-31 right, embedded organisation code check wrong
    (7, '91350100I000100Y43'),        -- I is not in the alphabet
    (8, '91350100M000100Y4'),         -- 17 characters
    (9, '')
  ) AS t(n, input)
 ORDER BY n;
