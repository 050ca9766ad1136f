-- 029: the granted scope kept in a table of the session that only the owner writes, instead of a signed setting
-- (issue 16, the API's load target).
--
-- Schema/021 granted a transaction its scope as the setting finsam.scope, signed with an HMAC, and every policy check
-- verified the signature: some 40 µs a check (pgbench on the dev cluster), six to eight checks per request, a third
-- of what PostgreSQL spends on the disbursement list. Here the scope is a row of a temporary table,
-- pg_temp.finsam_granted_scope, which the grant creates in the session the first time it is needed, as the owner
-- (the act_as functions are SECURITY DEFINER). Reading it costs some 10 µs a check.
--
-- Why the application role cannot widen it, even with injected SQL:
-- - it cannot write the table: the owner owns it, and grants nothing on it;
-- - it cannot put a look-alike in its place: it may not create temporary objects at all (schema/020 revoked TEMP on
--   the database from PUBLIC), and the grant refuses a table of that name that the owner does not own;
-- - the row names the transaction it was granted to (its start, transaction_timestamp(), which no SQL can set). A
--   later transaction on the same connection sees no federation until it is granted one again, and a grant rolled back
--   (with its transaction or savepoint) is undone with it. Two transactions share a start only when one message of
--   the simple protocol holds both (`COMMIT; BEGIN; …`), which then run for the same request and the same person;
-- - DISCARD TEMP drops the table: every scope reads as no federation until the next grant creates it again.
-- The setting finsam.scope is read by nothing any more; setting it changes nothing.
--
-- The first grant in a session creates the table, which a read-only transaction may not do. So a use case that only
-- reads now begins its transaction read-write and is made read-only by the grant itself (p_read_only), in the same
-- statement, before any of its own work. The functions without p_read_only stay, for transactions that write.

CREATE FUNCTION finsam_grant_scope(p_federations bigint[], p_read_only boolean) RETURNS void
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    table_owner oid;
BEGIN
    SELECT c.relowner INTO table_owner FROM pg_class c WHERE c.oid = to_regclass('pg_temp.finsam_granted_scope');
    IF table_owner IS NULL THEN
        IF current_setting('transaction_read_only') = 'on' THEN
            RAISE EXCEPTION 'förbunden kan inte beviljas i en transaktion som började som skrivskyddad'
                USING ERRCODE = 'FN051',
                      HINT = 'begin the transaction read-write and pass p_read_only: the first grant creates the session''s scope table';
        END IF;
        CREATE TEMPORARY TABLE finsam_granted_scope (
            granted_at timestamptz,
            all_federations boolean NOT NULL,
            federations bigint[] NOT NULL
        );
        INSERT INTO pg_temp.finsam_granted_scope VALUES (NULL, false, '{}');
    ELSIF table_owner <> (SELECT r.oid FROM pg_roles r WHERE r.rolname = current_user) THEN
        RAISE EXCEPTION 'sessionens tabell över beviljade förbund tillhör inte databasens ägare'
            USING ERRCODE = 'FN052', HINT = 'only the owner may create pg_temp.finsam_granted_scope';
    END IF;
    UPDATE pg_temp.finsam_granted_scope
    SET granted_at = transaction_timestamp(), all_federations = p_federations IS NULL, federations = coalesce(p_federations, '{}');
    -- See ActorScope.act (Database.swift): the service's queries are small; JIT compilation only costs.
    PERFORM set_config('jit', 'off', true);
    IF p_read_only THEN
        PERFORM set_config('transaction_read_only', 'on', true);
    END IF;
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

-- The federations granted to this transaction: NULL for every one (the operator, the nightly job), empty when none
-- was granted to it.
CREATE OR REPLACE FUNCTION finsam_scope() RETURNS bigint[]
LANGUAGE plpgsql STABLE PARALLEL RESTRICTED SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    every boolean;
    granted bigint[];
BEGIN
    IF to_regclass('pg_temp.finsam_granted_scope') IS NULL THEN
        RETURN '{}';
    END IF;
    SELECT s.all_federations, s.federations INTO every, granted
    FROM pg_temp.finsam_granted_scope s WHERE s.granted_at = transaction_timestamp();
    IF NOT FOUND THEN
        RETURN '{}';
    END IF;
    IF every THEN
        RETURN NULL;
    END IF;
    RETURN granted;
END
$$;

-- The same as an array the policies test with = ANY: every federation's id when every one is granted (schema/025).
CREATE OR REPLACE FUNCTION finsam_scope_federations() RETURNS bigint[]
LANGUAGE plpgsql STABLE PARALLEL RESTRICTED SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    every boolean;
    granted bigint[];
BEGIN
    IF to_regclass('pg_temp.finsam_granted_scope') IS NULL THEN
        RETURN '{}';
    END IF;
    SELECT s.all_federations, s.federations INTO every, granted
    FROM pg_temp.finsam_granted_scope s WHERE s.granted_at = transaction_timestamp();
    IF NOT FOUND THEN
        RETURN '{}';
    END IF;
    IF every THEN
        RETURN ARRAY(SELECT federation_id FROM federation);
    END IF;
    RETURN granted;
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
BEGIN
    IF p_secret LIKE 'fss\_%' THEN
        SELECT s.user_code INTO who FROM user_session s
        WHERE s.secret_hash = hashed AND s.ended_at IS NULL AND s.expires_at > statement_timestamp();
    ELSIF p_secret LIKE 'fst\_%' THEN
        SELECT t.user_code INTO who FROM api_token t
        WHERE t.secret_hash = hashed AND t.revoked_at IS NULL
          AND (t.expires_at IS NULL OR t.expires_at > statement_timestamp());
    END IF;
    IF who IS NULL THEN
        PERFORM finsam_grant_scope('{}', coalesce(p_read_only, false));
        RETURN;
    END IF;
    PERFORM finsam_grant_scope((SELECT coalesce(array_agg(DISTINCT g.federation_id ORDER BY g.federation_id), '{}')
                                FROM user_role_grant g WHERE g.user_code = who), coalesce(p_read_only, false));
    RETURN QUERY
    SELECT who, f.code, f.federation_id, g.role::text
    FROM app_user u
    LEFT JOIN user_role_grant g ON g.user_code = u.user_code
    LEFT JOIN federation f ON f.federation_id = g.federation_id
    WHERE u.user_code = who;
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
