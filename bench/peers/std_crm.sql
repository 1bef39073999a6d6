-- bench/peers/std_crm.sql: the generated CRM data set (table rec, loaded from
-- records.csv) seen through the columns every SQL runner reads.
CREATE OR REPLACE VIEW rec_std AS
SELECT record_id, ''::text AS source_table, nullif(kind, '') AS kind, nullif(name, '') AS name,
       nullif(company, '') AS company, nullif(phone, '') AS phone, nullif(phone2, '') AS phone2,
       nullif(email, '') AS email, nullif(address, '') AS address, nullif(id_number, '') AS id_number, NULL::text AS birth_date
  FROM rec;
