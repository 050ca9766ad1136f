-- 029: the granted scope kept in a table only the owner writes, one row per database session, read by the policies
-- directly (issue 16, the API's load target).
--
-- Schema/021 granted a transaction its scope as the setting finsam.scope, signed with an HMAC, and every policy check
-- called a function that verified the signature: some 40 µs a check (pgbench on the dev cluster), six to nine checks
-- per request, a third of what PostgreSQL spent on the disbursement list. Here the grant writes the scope into
-- finsam_granted_scope, a row per backend, and each policy reads it with a plain sub-select, which PostgreSQL runs
-- once per statement and table (an InitPlan): some 4 µs a check.
--
-- Why the application role cannot widen it, even with injected SQL:
-- - it may read the table but not write it: only the act_as functions (SECURITY DEFINER, the owner's) do;
-- - a row counts only for its own backend (pg_backend_pid()) and its own transaction (granted_at is the start of
--   the transaction it was granted to, transaction_timestamp(), which no SQL can set): a later transaction on the
--   same connection, or a backend that reuses the process id, sees no federation until it is granted one again; a
--   grant rolled back (with its transaction or savepoint) is undone with it. Two transactions share a start only
--   when one message of the simple protocol holds both (`COMMIT; BEGIN; …`), which then run for the same request
--   and the same person;
-- - the setting finsam.scope is read by nothing any more; setting it changes nothing.
-- The table is UNLOGGED: a grant lives no longer than its transaction, and after a crash there is none to keep.
--
-- Writing the row needs a transaction that may write. So a use case that only reads now begins its transaction
-- read-write and is made read-only by the grant itself (p_read_only), in the same statement, before any of its own
-- work. The act_as functions without p_read_only stay, for transactions that write. The row gives a reading
-- transaction a transaction id, and with it a commit that would wait for the WAL to reach the disk whenever a read
-- pruned a page; a read-only transaction has nothing to keep, so the grant also commits it asynchronously.
--
-- The operator and the nightly job are granted every federation: the ids there are at the grant, and a federation
-- created in the same transaction is added to them (finsam_granted_scope_add_federation), so that the rows that
-- come with it (its chart of accounts) pass the policies. The federation table and the audit trail also accept
-- "every federation" as such (a new federation's own row, the audit trail's chain 0).

CREATE UNLOGGED TABLE finsam_granted_scope (
    backend_pid integer PRIMARY KEY,
    granted_at timestamptz NOT NULL,
    all_federations boolean NOT NULL,
    federations bigint[] NOT NULL
);
REVOKE ALL ON finsam_granted_scope FROM PUBLIC;
GRANT SELECT ON finsam_granted_scope TO finsam_app;

CREATE FUNCTION finsam_grant_scope(p_federations bigint[], p_read_only boolean) RETURNS void
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    granted bigint[];
BEGIN
    IF current_setting('transaction_read_only') = 'on' THEN
        RAISE EXCEPTION 'förbunden kan inte beviljas i en transaktion som började som skrivskyddad'
            USING ERRCODE = 'FN051',
                  HINT = 'begin the transaction read-write and pass p_read_only: the grant writes finsam_granted_scope';
    END IF;
    granted := coalesce(p_federations, ARRAY(SELECT f.federation_id FROM federation f ORDER BY f.federation_id));
    -- The backend's row is there after its first grant: an update (half the cost of an upsert), else an insert.
    UPDATE finsam_granted_scope s
    SET granted_at = transaction_timestamp(), all_federations = p_federations IS NULL, federations = granted
    WHERE s.backend_pid = pg_backend_pid();
    IF NOT FOUND THEN
        INSERT INTO finsam_granted_scope AS s (backend_pid, granted_at, all_federations, federations)
        VALUES (pg_backend_pid(), transaction_timestamp(), p_federations IS NULL, granted)
        ON CONFLICT (backend_pid) DO UPDATE
        SET granted_at = excluded.granted_at, all_federations = excluded.all_federations, federations = excluded.federations;
    END IF;
    -- See ActorScope (Database.swift): the service's queries are small; JIT compilation only costs.
    PERFORM set_config('jit', 'off', true),
            CASE WHEN p_read_only THEN set_config('transaction_read_only', 'on', true) END,
            CASE WHEN p_read_only THEN set_config('synchronous_commit', 'off', true) END;
END
$$;
REVOKE ALL ON FUNCTION finsam_grant_scope(bigint[], boolean) FROM PUBLIC;

-- Schema/021's grant, for the callers that write: the same, read-write.
CREATE OR REPLACE FUNCTION finsam_grant_scope(p_federations bigint[]) RETURNS void
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
    PERFORM finsam_grant_scope(p_federations, false);
END
$$;

-- A federation created under a grant of every federation joins that grant at once.
CREATE FUNCTION finsam_granted_scope_add_federation() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
    UPDATE finsam_granted_scope
    SET federations = federations || NEW.federation_id
    WHERE backend_pid = pg_backend_pid() AND granted_at = transaction_timestamp() AND all_federations
      AND NOT NEW.federation_id = ANY (federations);
    RETURN NULL;
END
$$;
CREATE TRIGGER granted_scope_add_federation AFTER INSERT ON federation
    FOR EACH ROW EXECUTE FUNCTION finsam_granted_scope_add_federation();

-- The policies: every table with a federation tests its rows against the federations granted to this transaction;
-- the federation table and the audit trail accept a grant of every federation as such. No grant, no rows.
DO $$
DECLARE
    p record;
    -- The cast makes it an array expression: `= ANY ((SELECT …))` alone would compare with each row of a sub-query.
    granted constant text := '(SELECT s.federations FROM finsam_granted_scope s '
        'WHERE s.backend_pid = pg_backend_pid() AND s.granted_at = transaction_timestamp())::bigint[]';
    every constant text := 'coalesce((SELECT s.all_federations FROM finsam_granted_scope s '
        'WHERE s.backend_pid = pg_backend_pid() AND s.granted_at = transaction_timestamp()), false)';
    one_check constant text := '\(federation_id = ANY \(\( SELECT finsam_scope_federations\(\) AS finsam_scope_federations\)::bigint\[\]\)\)';
    two_checks constant text :=
        '\(\(\( SELECT finsam_scope\(\) AS finsam_scope\) IS NULL\) OR \(([a-z_]+) = ANY \(\( SELECT finsam_scope\(\) AS finsam_scope\)::bigint\[\]\)\)\)';
    qual text;
    with_check text;
    changed integer := 0;
BEGIN
    FOR p IN
        SELECT pol.polname, c.relname, pg_get_expr(pol.polqual, pol.polrelid) AS qual,
            pg_get_expr(pol.polwithcheck, pol.polrelid) AS with_check
        FROM pg_policy pol JOIN pg_class c ON c.oid = pol.polrelid
        WHERE c.relnamespace = 'public'::regnamespace
    LOOP
        qual := regexp_replace(regexp_replace(p.qual, one_check, '(federation_id = ANY (' || granted || '))', 'g'),
            two_checks, '(' || every || ' OR \1 = ANY (' || granted || '))', 'g');
        with_check := regexp_replace(regexp_replace(p.with_check, one_check, '(federation_id = ANY (' || granted || '))', 'g'),
            two_checks, '(' || every || ' OR \1 = ANY (' || granted || '))', 'g');
        IF qual IS DISTINCT FROM p.qual THEN
            EXECUTE format('ALTER POLICY %I ON %I USING (%s)', p.polname, p.relname, qual);
            changed := changed + 1;
        END IF;
        IF with_check IS DISTINCT FROM p.with_check THEN
            EXECUTE format('ALTER POLICY %I ON %I WITH CHECK (%s)', p.polname, p.relname, with_check);
            changed := changed + 1;
        END IF;
    END LOOP;
    IF changed < 40 OR EXISTS (
        SELECT 1 FROM pg_policy pol JOIN pg_class c ON c.oid = pol.polrelid
        WHERE c.relnamespace = 'public'::regnamespace
          AND (coalesce(pg_get_expr(pol.polqual, pol.polrelid), '') LIKE '%finsam\_scope%'
               OR coalesce(pg_get_expr(pol.polwithcheck, pol.polrelid), '') LIKE '%finsam\_scope%'))
    THEN
        RAISE EXCEPTION 'schema/029: % policies changed, or one still calls a scope function', changed;
    END IF;
END
$$;

-- The federations granted to this transaction, for SQL that asks (finsam_visible): NULL for every one (the
-- operator, the nightly job), empty when none was granted to it.
CREATE OR REPLACE FUNCTION finsam_scope() RETURNS bigint[]
LANGUAGE plpgsql STABLE PARALLEL RESTRICTED SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    every boolean;
    granted bigint[];
BEGIN
    SELECT s.all_federations, s.federations INTO every, granted
    FROM finsam_granted_scope s WHERE s.backend_pid = pg_backend_pid() AND s.granted_at = transaction_timestamp();
    IF NOT FOUND THEN
        RETURN '{}';
    END IF;
    IF every THEN
        RETURN NULL;
    END IF;
    RETURN granted;
END
$$;

-- The same as the array of ids the policies test (every federation's, when every one is granted).
CREATE OR REPLACE FUNCTION finsam_scope_federations() RETURNS bigint[]
LANGUAGE plpgsql STABLE PARALLEL RESTRICTED SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
    RETURN coalesce((SELECT s.federations FROM finsam_granted_scope s
                     WHERE s.backend_pid = pg_backend_pid() AND s.granted_at = transaction_timestamp()), '{}');
END
$$;

-- The daemon: a live session's or API token's secret; no row when it is unknown, expired, signed out or revoked,
-- and then the transaction is granted no federation. Each federation comes with its id, which spares the use case
-- looking it up again.
CREATE FUNCTION finsam_act_as_credential(p_secret text, p_read_only boolean)
RETURNS TABLE (user_code text, federation text, federation_id bigint, role text)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    who text;
    hashed bytea := sha256(convert_to(p_secret, 'UTF8'));
    granted bigint[] := '{}';
    r record;
BEGIN
    IF current_setting('transaction_read_only') = 'on' THEN
        RAISE EXCEPTION 'förbunden kan inte beviljas i en transaktion som började som skrivskyddad'
            USING ERRCODE = 'FN051',
                  HINT = 'begin the transaction read-write and pass p_read_only: the grant writes finsam_granted_scope';
    END IF;
    IF p_secret LIKE 'fss\_%' THEN
        SELECT s.user_code INTO who FROM user_session s
        WHERE s.secret_hash = hashed AND s.ended_at IS NULL AND s.expires_at > statement_timestamp();
    ELSIF p_secret LIKE 'fst\_%' THEN
        SELECT t.user_code INTO who FROM api_token t
        WHERE t.secret_hash = hashed AND t.revoked_at IS NULL
          AND (t.expires_at IS NULL OR t.expires_at > statement_timestamp());
    END IF;
    -- The person's roles, returned as they are read; their federations are the scope (one query for both).
    FOR r IN
        SELECT f.code, f.federation_id, g.role::text AS role
        FROM app_user u
        LEFT JOIN user_role_grant g ON g.user_code = u.user_code
        LEFT JOIN federation f ON f.federation_id = g.federation_id
        WHERE u.user_code = who
    LOOP
        IF r.federation_id IS NOT NULL AND NOT r.federation_id = ANY (granted) THEN
            granted := granted || r.federation_id;
        END IF;
        user_code := who;
        federation := r.code;
        federation_id := r.federation_id;
        role := r.role;
        RETURN NEXT;
    END LOOP;
    -- finsam_grant_scope's work, written out: this runs for every request of the daemon, and a nested function with
    -- its own search path costs a tenth of it (pgbench). Keep the two in step.
    UPDATE finsam_granted_scope s SET granted_at = transaction_timestamp(), all_federations = false, federations = granted
    WHERE s.backend_pid = pg_backend_pid();
    IF NOT FOUND THEN
        INSERT INTO finsam_granted_scope AS s (backend_pid, granted_at, all_federations, federations)
        VALUES (pg_backend_pid(), transaction_timestamp(), false, granted)
        ON CONFLICT (backend_pid) DO UPDATE
        SET granted_at = excluded.granted_at, all_federations = excluded.all_federations, federations = excluded.federations;
    END IF;
    PERFORM set_config('jit', 'off', true),
            CASE WHEN coalesce(p_read_only, false) THEN set_config('transaction_read_only', 'on', true) END,
            CASE WHEN coalesce(p_read_only, false) THEN set_config('synchronous_commit', 'off', true) END;
END
$$;
REVOKE ALL ON FUNCTION finsam_act_as_credential(text, boolean) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION finsam_act_as_credential(text, boolean) TO finsam_app;

CREATE OR REPLACE FUNCTION finsam_act_as_credential(p_secret text) RETURNS TABLE (user_code text, federation text, role text)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
    RETURN QUERY SELECT c.user_code, c.federation, c.role FROM finsam_act_as_credential(p_secret, false) c;
END
$$;

-- The CLI acts for a person by user code.
CREATE FUNCTION finsam_act_as(p_user text, p_read_only boolean) RETURNS TABLE (federation text, federation_id bigint, role text)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
    PERFORM finsam_grant_scope(finsam_federations_of(p_user), coalesce(p_read_only, false));
    RETURN QUERY
    SELECT f.code, f.federation_id, g.role::text
    FROM app_user u
    LEFT JOIN user_role_grant g ON g.user_code = u.user_code
    LEFT JOIN federation f ON f.federation_id = g.federation_id
    WHERE u.user_code = p_user;
END
$$;
REVOKE ALL ON FUNCTION finsam_act_as(text, boolean) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION finsam_act_as(text, boolean) TO finsam_operator;

-- The operator at the server's terminal: every federation.
CREATE FUNCTION finsam_act_as_operator(p_read_only boolean) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
    PERFORM finsam_grant_scope(NULL, coalesce(p_read_only, false));
END
$$;
REVOKE ALL ON FUNCTION finsam_act_as_operator(boolean) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION finsam_act_as_operator(boolean) TO finsam_operator;

-- The nightly job: every federation.
CREATE FUNCTION finsam_act_as_system(p_read_only boolean) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
    PERFORM finsam_grant_scope(NULL, coalesce(p_read_only, false));
END
$$;
REVOKE ALL ON FUNCTION finsam_act_as_system(boolean) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION finsam_act_as_system(boolean) TO finsam_nightly, finsam_operator;

-- The signature's key and the moment it was bound to are no longer used.
DROP FUNCTION finsam_transaction_moment();
DROP TABLE scope_key;
