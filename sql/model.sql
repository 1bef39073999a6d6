-- Comments of the match-model functions (src/model/sql.rs).
-- Loaded by extension_sql_file!; @extschema@ is the extension's schema.
COMMENT ON FUNCTION @extschema@.compare(jsonb, jsonb, jsonb) IS
'Compares two customer records given as jsonb objects of role -> value (roles: name, company, phone, email, address, id_number, birth_date, kind, updated_at; phone and the others also take an array of values) under a Fellegi-Sunter match model (default: mdm.default_model()). Returns jsonb: match_probability, match_weight (log2 odds), prior_weight, an explanation sentence, and for every role the comparison level reached, the compared normalized values, the similarity, m, u, the match weight log2(m/u) and any term-frequency adjustment. A missing or unusable value gives level null with weight 0; keys that are not roles are listed in unknown_roles and otherwise ignored. NULL record in, NULL out; a malformed model or record raises SQLSTATE 22023 naming the offending key.';

COMMENT ON FUNCTION @extschema@.default_model() IS
'The built-in match model of mdm.compare as jsonb: the prior, every role''s comparison levels in order (condition, m, u, description) and a term-frequency table of common Chinese names. Edit a copy and pass it as the model argument of mdm.compare.';
