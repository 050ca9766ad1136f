-- Row-level security at one scope check per table and statement (issue 16, the API's load test). The policies of
-- schema/021 test `(SELECT finsam_scope()) IS NULL OR federation_id = ANY ((SELECT finsam_scope()))`: two sub-selects,
-- so PostgreSQL checks the granted scope twice per table a statement reads. Each check verifies the scope's HMAC in a
-- SECURITY DEFINER function with its own search_path, some 30 µs; the disbursement list joins five tables, and
-- row-level security cost it 0.33 of its 0.53 ms (pgbench, the same statement as the owner and as finsam_app).
--
-- finsam_scope_federations() verifies the scope exactly as finsam_scope() does and answers the federations as an
-- array, all of them for the operator and the nightly job ('*'); the policies then test
-- `federation_id = ANY ((SELECT finsam_scope_federations())::bigint[])`, one check per table. The federation table keeps its
-- policy (a federation the operator is creating is not yet among all federations while it is being inserted), and
-- so does the audit trail, whose chain 0 is no federation. What each role sees is unchanged.

CREATE FUNCTION finsam_scope_federations() RETURNS bigint[]
LANGUAGE plpgsql STABLE PARALLEL RESTRICTED SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    granted text := current_setting('finsam.scope', true);
    payload text;
    parts text[];
BEGIN
    IF granted IS NULL OR granted = '' THEN
        RETURN '{}';
    END IF;
    payload := split_part(granted, '|', 1);
    parts := string_to_array(payload, ':');
    IF split_part(granted, '|', 2)
            <> encode(pgcrypto.hmac(convert_to(payload, 'UTF8'), (SELECT key FROM scope_key), 'sha256'), 'hex')
        OR cardinality(parts) <> 3
        OR parts[1] <> pg_backend_pid()::text
        OR parts[2] <> floor(extract(epoch FROM transaction_timestamp()) * 1000000)::bigint::text
    THEN
        RAISE EXCEPTION 'förbunden som transaktionen får se har inte beviljats av databasen'
            USING ERRCODE = 'FN050', HINT = 'a scope is granted only by the finsam_act_as functions';
    END IF;
    IF parts[3] = '*' THEN
        RETURN ARRAY(SELECT federation_id FROM federation);
    END IF;
    RETURN parts[3]::bigint[];
END
$$;
REVOKE ALL ON FUNCTION finsam_scope_federations() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION finsam_scope_federations() TO finsam_app;

DO $$
DECLARE
    p record;
    twice constant text :=
        '\(\(\( SELECT finsam_scope\(\) AS finsam_scope\) IS NULL\) OR \(federation_id = ANY \(\( SELECT finsam_scope\(\) AS finsam_scope\)::bigint\[\]\)\)\)';
    once constant text := '(federation_id = ANY ((SELECT finsam_scope_federations())::bigint[]))';
    changed integer := 0;
BEGIN
    FOR p IN
        SELECT pol.polname, c.relname, pg_get_expr(pol.polqual, pol.polrelid) AS qual,
            pg_get_expr(pol.polwithcheck, pol.polrelid) AS with_check
        FROM pg_policy pol JOIN pg_class c ON c.oid = pol.polrelid
        WHERE c.relnamespace = 'public'::regnamespace AND c.relname <> 'federation'
          AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'federation_id' AND NOT a.attisdropped)
    LOOP
        IF p.qual ~ twice THEN
            EXECUTE format('ALTER POLICY %I ON %I USING (%s)', p.polname, p.relname, regexp_replace(p.qual, twice, once, 'g'));
            changed := changed + 1;
        END IF;
        IF p.with_check ~ twice THEN
            EXECUTE format('ALTER POLICY %I ON %I WITH CHECK (%s)', p.polname, p.relname,
                regexp_replace(p.with_check, twice, once, 'g'));
        END IF;
    END LOOP;
    -- Every table with a federation (but the federation itself) had the two-check policy of schema/021.
    IF changed < 30 OR EXISTS (
        SELECT 1 FROM pg_policy pol JOIN pg_class c ON c.oid = pol.polrelid
        WHERE c.relnamespace = 'public'::regnamespace AND c.relname <> 'federation'
          AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'federation_id' AND NOT a.attisdropped)
          AND (pg_get_expr(pol.polqual, pol.polrelid) LIKE '%finsam_scope()%'
               OR pg_get_expr(pol.polwithcheck, pol.polrelid) LIKE '%finsam_scope()%'))
    THEN
        RAISE EXCEPTION 'schema/025: % policies changed, or one still checks the scope twice', changed;
    END IF;
END
$$;
