-- Runs first in the install script. CREATE EXTENSION puts everything into
-- schema @extschema@, creating it when it does not exist; a schema of that
-- name made before by another role would leave that role its owner, free to
-- drop and replace the extension's functions afterwards. So the install
-- refuses a schema whose owner is not a superuser, and one that already
-- holds objects.
DO $bootstrap$
DECLARE
    owner_is_superuser boolean;
BEGIN
    SELECT r.rolsuper INTO owner_is_superuser
      FROM pg_catalog.pg_namespace n JOIN pg_catalog.pg_roles r ON r.oid OPERATOR(pg_catalog.=) n.nspowner
     WHERE n.nspname OPERATOR(pg_catalog.=) '@extschema@';
    IF NOT coalesce(owner_is_superuser, false) THEN
        RAISE EXCEPTION 'schema @extschema@ exists already and is owned by role %, not a superuser',
                (SELECT n.nspowner::pg_catalog.regrole FROM pg_catalog.pg_namespace n
                  WHERE n.nspname OPERATOR(pg_catalog.=) '@extschema@')
            USING ERRCODE = '42501',
                  DETAIL = 'customer_mdm installs into schema @extschema@; the owner of that schema could replace the extension''s functions.',
                  HINT = 'Drop the schema (or make a superuser its owner) and run CREATE EXTENSION customer_mdm again.';
    END IF;
    IF EXISTS (SELECT FROM pg_catalog.pg_class c WHERE c.relnamespace OPERATOR(pg_catalog.=) '@extschema@'::pg_catalog.regnamespace)
       OR EXISTS (SELECT FROM pg_catalog.pg_proc p WHERE p.pronamespace OPERATOR(pg_catalog.=) '@extschema@'::pg_catalog.regnamespace)
       OR EXISTS (SELECT FROM pg_catalog.pg_type t WHERE t.typnamespace OPERATOR(pg_catalog.=) '@extschema@'::pg_catalog.regnamespace)
       OR EXISTS (SELECT FROM pg_catalog.pg_operator o WHERE o.oprnamespace OPERATOR(pg_catalog.=) '@extschema@'::pg_catalog.regnamespace) THEN
        RAISE EXCEPTION 'schema @extschema@ exists already and holds objects'
            USING ERRCODE = '55000',
                  DETAIL = 'customer_mdm installs into schema @extschema@ and defines every object there itself.',
                  HINT = 'Move or drop those objects (or the schema) and run CREATE EXTENSION customer_mdm again.';
    END IF;
END
$bootstrap$;
