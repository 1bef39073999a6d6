-- The schema's comment and the comments of the normalization functions (src/normalize/sql.rs).
-- Loaded by extension_sql_file!; @extschema@ is the extension's schema.
COMMENT ON SCHEMA @extschema@ IS
'customer_mdm: clean, deduplicate and merge CRM customer records. Normalization functions are IMMUTABLE STRICT PARALLEL SAFE: NULL in gives NULL out, and text that is not what a function expects gives NULL (normalize_*) or false (is_valid_*), never an error.';

COMMENT ON FUNCTION @extschema@.normalize_text(text) IS
'Normalizes free text for matching: Unicode NFKC (full-width to half-width, compatibility forms unfolded), lower case, whitespace trimmed and collapsed to one space (the ideographic space U+3000 included), zero-width, format and control characters removed. Returns NULL for NULL, empty or whitespace-only input. Immutable, so it can back expression indexes and generated columns.';

COMMENT ON FUNCTION @extschema@.normalize_name(text) IS
'Normalizes a person''s or an organisation''s name: normalize_text, traditional to simplified Chinese with variants folded (張偉 → 张伟), spaces and middle dots between CJK characters removed (张 伟, 张·伟 → 张伟), bracketed remarks removed, honorifics and titles stripped (先生, 女士, 小姐, 老师, 经理, 总, Mr, Mrs, Ms, Dr, Prof, …; Jr/Sr kept), and for Latin script accents folded, punctuation dropped and the words sorted (''Wei Zhang'' = ''ZHANG, Wei'' → ''wei zhang''). NULL when nothing is left.';

COMMENT ON FUNCTION @extschema@.normalize_company(text) IS
'The distinguishing core of an organisation''s name: normalize_text, traditional to simplified, full-width punctuation folded; bracketed region, 中国 and legal-form tags removed ((北京), （上海）, (集团), (China)); legal forms stripped from the end (有限公司, 有限责任公司, 股份有限公司, 集团, 公司, 控股, Co., Ltd., Inc., LLC, GmbH, Corp., S.A., AG, …); a leading province or city tag stripped (北京…, 广东省深圳市…) unless only generic industry words would remain (北京银行 stays). 北京华为技术有限公司, 华为技术（北京）有限公司 and 華為技術有限公司 all give 华为技术. NULL when nothing is left.';

COMMENT ON FUNCTION @extschema@.normalize_address(text) IS
'A key for comparing postal addresses: NFKC, traditional to simplified, a leading 中国 / 中华人民共和国 (or a trailing ", China") removed; administrative levels folded so that 北京市朝阳区… = 北京朝阳区… and 浙江省杭州市余杭区… = 杭州余杭区…; Chinese numerals of house numbers, floors, rooms and units made ASCII (八十八号 → 88号) while place names such as 三里屯 keep theirs; punctuation dropped; English abbreviations expanded (St → street, Rd → road, Ave → avenue, Apt → apartment, …). NULL when nothing is left.';

COMMENT ON FUNCTION @extschema@.normalize_phone(text, text) IS
'Returns a phone number in E.164 form (+8613800138000) from any common way of writing it: +86 138 0013 8000, 0086-138…, (86)138…, 86138…, 138-0013-8000, full-width digits, landlines with an area code (010-12345678 → +861012345678); extensions (ext., 转, 分机) are dropped. default_region (ISO 3166 code, default ''CN'') is used for numbers written without a country code. NULL when the text is not a valid phone number by libphonenumber''s metadata. An unknown region raises SQLSTATE 22023.';

COMMENT ON FUNCTION @extschema@.phone_type(text, text) IS
'The type of a phone number by libphonenumber''s metadata: ''mobile'', ''fixed_line'', ''fixed_line_or_mobile'', ''toll_free'', ''shared_cost'', ''premium_rate'', ''voip'', … ; NULL when the number is not valid or its type is unknown. default_region as for normalize_phone.';

COMMENT ON FUNCTION @extschema@.is_valid_phone(text, text) IS
'True when the text is a valid phone number (the numbers normalize_phone accepts), false otherwise. default_region as for normalize_phone.';

COMMENT ON FUNCTION @extschema@.normalize_email(text) IS
'Returns an e-mail address trimmed and lower-cased (full-width characters and the ideographic full stop 。 folded, mailto: and <…> stripped), or NULL when the text is not syntactically an e-mail address (dot-atom local part of at most 64 characters, a domain of two or more valid labels, internationalized labels accepted).';

COMMENT ON FUNCTION @extschema@.email_key(text) IS
'normalize_email plus provider-specific alias folding, so that one mailbox gives one key: for gmail.com and googlemail.com dots and +tags removed (domain gmail.com); +tags removed for providers with plus-addressing (outlook.com, hotmail.com, live.com, msn.com, icloud.com, me.com, mac.com, protonmail, proton.me, fastmail, yandex). Other domains keep their local part. NULL when the text is not an e-mail address.';

COMMENT ON FUNCTION @extschema@.is_valid_email(text) IS
'True when the text is syntactically an e-mail address (the addresses normalize_email accepts), false otherwise.';

COMMENT ON FUNCTION @extschema@.fingerprint(text) IS
'OpenRefine''s fingerprint key-collision key, CJK-aware: NFKC and traditional-to-simplified first, then lower case, accents folded, punctuation (ASCII and Unicode) and control characters removed, split on whitespace, unique tokens sorted and joined with a space. ''Cruise, Tom'' and ''tom cruise'' give ''cruise tom''. NULL when nothing is left.';

COMMENT ON FUNCTION @extschema@.ngram_fingerprint(text, integer) IS
'OpenRefine''s n-gram fingerprint key, CJK-aware: NFKC and traditional-to-simplified first, lower case, punctuation and whitespace removed, accents folded, the unique character n-grams (n default 2) sorted and joined. Each CJK character is a gram of its own; a Latin run shorter than n is its own gram. n < 1 raises SQLSTATE 22023. NULL when nothing is left.';

COMMENT ON FUNCTION @extschema@.pinyin(text) IS
'Han characters as toneless pinyin syllables separated by spaces, with the most common reading of each character (张伟 → zhang wei, 華為 → hua wei); other text normalized and kept as words. For every reading of heteronyms use name_keys. NULL when nothing is left.';

COMMENT ON FUNCTION @extschema@.name_keys(text) IS
'Blocking keys for matching a name across scripts, sorted and unique, each prefixed by its kind: n: normalized name, t: Latin tokens sorted, j: tokens written together (both orders for two-part names), dm: double metaphone codes. 张伟, 張偉, ''Zhang Wei'', ''Wei Zhang'' and ''ZHANG Wei'' share keys; heteronyms (曾, 单, 解, 重, …) give every reading (at most 16 readings per name). NULL when nothing is left.';

COMMENT ON FUNCTION @extschema@.normalize_id_number(text) IS
'An identity or registration number with spaces and separators removed, full-width characters folded (NFKC) and letters upper-cased: ''11010519491231002x'' and ''110105 19491231 002X'' give ''11010519491231002X''. NULL when nothing is left.';

COMMENT ON FUNCTION @extschema@.is_valid_cn_resident_id(text) IS
'True for a valid 18-character PRC resident identity card number (居民身份证, GB 11643-1999): a real province-level region prefix, a real birth date (years 1800-2100), and the ISO 7064 MOD 11-2 check character (lower-case x accepted); spaces and separators are ignored. 15-digit numbers are false.';

COMMENT ON FUNCTION @extschema@.is_valid_credit_code(text) IS
'True for a valid 18-character unified social credit code (统一社会信用代码, GB 32100-2015): characters from 0-9 and A-Z without I, O, S, V, Z, a numeric region code, the mod-31 check character and the mod-11 check of the embedded organisation code (GB 11714). Spaces and separators are ignored.';
