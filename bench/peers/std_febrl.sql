-- bench/peers/std_febrl.sql: a Febrl data set (table rec, loaded from
-- records.csv) seen through the columns every SQL runner reads. Febrl has no
-- phone, e-mail or company; its soc_sec_id stands in the id_number column;
-- its date_of_birth is birth_date (customer_mdm's batch detection maps it; the
-- other SQL runners do not use it).
CREATE OR REPLACE VIEW rec_std AS
SELECT record_id,
       coalesce(nullif(to_jsonb(rec)->>'source_table', ''), '') AS source_table,
       'person'::text AS kind,
       nullif(btrim(coalesce(given_name, '') || ' ' || coalesce(surname, '')), '') AS name,
       NULL::text AS company, NULL::text AS phone, NULL::text AS phone2, NULL::text AS email,
       nullif(btrim(concat_ws(' ', nullif(street_number, ''), nullif(address_1, ''), nullif(address_2, ''),
                              nullif(suburb, ''), nullif(postcode, ''), nullif(state, ''))), '') AS address,
       nullif(soc_sec_id, '') AS id_number, nullif(date_of_birth, '') AS birth_date
  FROM rec;
