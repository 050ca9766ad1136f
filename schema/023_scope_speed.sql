-- The scope checks of schema/021, made cheaper (issue 16, measured with pgbench on the dev cluster): a SQL-language
-- function with its own search_path is neither inlined nor keeps its plan, so PostgreSQL parses and plans its body on
-- every call. finsam_transaction_moment() cost 0.13 ms a call, and every statement of a request calls it through
-- finsam_scope(); finsam_roles_of and finsam_federations_of cost 0.45 and 0.25 ms where their query alone takes 0.12.
-- The same functions in PL/pgSQL keep their plans for the backend's life. What they return is unchanged, and every
-- function keeps its fixed search path.

CREATE OR REPLACE FUNCTION finsam_transaction_moment() RETURNS text
LANGUAGE plpgsql STABLE PARALLEL RESTRICTED SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
    RETURN floor(extract(epoch FROM transaction_timestamp()) * 1000000)::bigint::text;
END
$$;

CREATE OR REPLACE FUNCTION finsam_roles_of(p_user text) RETURNS TABLE (federation text, role text)
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
    RETURN QUERY
    SELECT f.code, g.role::text
    FROM app_user u
    LEFT JOIN user_role_grant g ON g.user_code = u.user_code
    LEFT JOIN federation f ON f.federation_id = g.federation_id
    WHERE u.user_code = p_user;
END
$$;

CREATE OR REPLACE FUNCTION finsam_federations_of(p_user text) RETURNS bigint[]
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
    RETURN (SELECT coalesce(array_agg(DISTINCT g.federation_id ORDER BY g.federation_id), '{}')
            FROM user_role_grant g WHERE g.user_code = p_user);
END
$$;

CREATE OR REPLACE FUNCTION finsam_secret_hash(p_secret text) RETURNS bytea
LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
    RETURN sha256(convert_to(p_secret, 'UTF8'));
END
$$;

-- Each call of a function with its own search_path sets and restores it, and PostgreSQL recomputes its namespace
-- search on both: about 0.1 ms. The policies call finsam_scope() once per statement, so it computes the
-- transaction's moment itself rather than calling finsam_transaction_moment(); finsam_grant_scope likewise; and
-- finsam_act_as_credential, once per request, runs its queries itself.
CREATE OR REPLACE FUNCTION finsam_scope() RETURNS bigint[]
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
        RETURN NULL;
    END IF;
    RETURN parts[3]::bigint[];
END
$$;

CREATE OR REPLACE FUNCTION finsam_grant_scope(p_federations bigint[]) RETURNS void
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    payload text := pg_backend_pid()::text || ':' || floor(extract(epoch FROM transaction_timestamp()) * 1000000)::bigint::text
        || ':' || coalesce(p_federations::text, '*');
BEGIN
    PERFORM set_config('finsam.scope',
        payload || '|' || encode(pgcrypto.hmac(convert_to(payload, 'UTF8'), (SELECT key FROM scope_key), 'sha256'), 'hex'),
        true);
    -- See ActorScope.act (Database.swift): the service's queries are small; JIT compilation only costs.
    PERFORM set_config('jit', 'off', true);
END
$$;

CREATE OR REPLACE FUNCTION finsam_act_as_credential(p_secret text) RETURNS TABLE (user_code text, federation text, role text)
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
        PERFORM set_config('finsam.scope', '', true);
        RETURN;
    END IF;
    PERFORM finsam_grant_scope((SELECT coalesce(array_agg(DISTINCT g.federation_id ORDER BY g.federation_id), '{}')
                                FROM user_role_grant g WHERE g.user_code = who));
    RETURN QUERY
    SELECT who, f.code, g.role::text
    FROM app_user u
    LEFT JOIN user_role_grant g ON g.user_code = u.user_code
    LEFT JOIN federation f ON f.federation_id = g.federation_id
    WHERE u.user_code = who;
END
$$;
