-- Comments of the similarity functions (src/similarity/sql.rs).
-- Loaded by extension_sql_file!; @extschema@ is the extension's schema.
COMMENT ON FUNCTION @extschema@.levenshtein(text, text) IS
'Levenshtein edit distance in characters (not bytes: 张伟 against 张玮 is 1), with no length limit (fuzzystrmatch''s levenshtein stops at 255 characters).';

COMMENT ON FUNCTION @extschema@.levenshtein_similarity(text, text) IS
'1 - levenshtein(a, b) / the longer length in characters, in [0, 1]; 1 when both are empty.';

COMMENT ON FUNCTION @extschema@.damerau_levenshtein(text, text) IS
'True (unrestricted) Damerau-Levenshtein distance in characters: insertions, deletions, substitutions and transpositions of adjacent characters, a substring may be edited more than once (''ca'' to ''abc'' is 2; optimal string alignment would say 3). No length limit.';

COMMENT ON FUNCTION @extschema@.jaro(text, text) IS
'Jaro similarity in characters, in [0, 1]; 1 when both are empty, 0 when exactly one is.';

COMMENT ON FUNCTION @extschema@.jaro_winkler(text, text) IS
'Jaro-Winkler similarity in characters (prefix scale 0.1, prefix up to 4 characters), in [0, 1]. Unlike pg_similarity''s jarowinkler it works on characters, not UTF-8 bytes.';

COMMENT ON FUNCTION @extschema@.jaccard(text, text) IS
'Jaccard similarity |A∩B| / |A∪B|: over whitespace-separated tokens, or over characters when either text is CJK (which has no word spaces). In [0, 1]; 1 when both are empty. Case-sensitive: normalize first.';

COMMENT ON FUNCTION @extschema@.name_similarity(text, text) IS
'Similarity of two person or organisation names, script-aware, in [0, 1]: 1 when normalize_name gives the same value (張偉 and 张伟; ''Wei Zhang'' and ''ZHANG, Wei''), otherwise the best of the Jaro-Winkler similarity of the normalized names and 0.95 times that of their readings (pinyin, every reading of heteronyms), so that 张伟 against ''Zhang Wei'' and the homophones 张伟 and 张玮 score 0.95: high, but below an exact match. NULL when either name is empty.';

COMMENT ON FUNCTION @extschema@.company_similarity(text, text) IS
'Similarity of two organisation names on their normalize_company cores, in [0, 1]: 1 when the cores are equal (legal forms and region tags ignored), otherwise the best of their Jaro-Winkler and Jaccard similarities and 0.9 times the Jaro-Winkler similarity of their pinyin. NULL when either core is empty.';

COMMENT ON FUNCTION @extschema@.phone_similarity(text, text, text) IS
'Similarity of two phone numbers: 1 for the same number however written (E.164 by normalize_phone, default_region default ''CN''), 0.7 when they are one digit apart (a typo, a missing or an extra digit), 0 otherwise or when either is not a number.';

COMMENT ON FUNCTION @extschema@.address_similarity(text, text) IS
'Similarity of two postal addresses on their normalize_address keys, in [0, 1]: 1 when equal (北京市朝阳区建国路88号 and 中国北京朝阳区建国路八十八号), otherwise the better of their Levenshtein and Jaccard similarities. NULL when either is empty.';
