-- 021: sign-in, sessions and API tokens, and a scope only the database grants (issue 16).
--
-- Until now a transaction's scope was two settings, finsam.federations and finsam.all_federations, that the service
-- set and the policies read. Any session of the application role could set them too: row-level security stopped a
-- buggy route, not injected SQL. From here on the scope is granted by functions the owner defines, and only by them:
--
-- - finsam_act_as_credential: the daemon presents a signed-in session's or an API token's secret; the function checks
--   its hash and scopes the transaction to that user's federations. This is all the application role may call.
-- - finsam_act_as (a person by user code), finsam_act_as_operator: the CLI at the server's terminal, which logs in as
--   finsam_operator (the operator holds the database's credentials; it is trusted to name whom it acts for).
-- - finsam_act_as_system: the nightly job, which logs in as finsam_nightly and works across federations.
--
-- A granted scope is the setting finsam.scope, signed: the federations (or every one), bound to the backend and to
-- the transaction's start, with an HMAC under a key only the owner reads. The policies accept nothing else; a
-- setting written by hand fails the check and stops the statement (FN050). Each statement checks it once: the
-- policies call finsam_scope() in an uncorrelated sub-select, which PostgreSQL evaluates once per statement (an
-- InitPlan), not per row.
--
-- Passwords are bcrypt hashes made and checked here by pgcrypto's crypt(): the password is checked where the scope is
-- granted, so that nothing the application role can read or call opens a session without it.

-- pgcrypto in a schema of its own: public holds only Finsam's functions (each with its fixed search path), and no
-- role but the owner uses pgcrypto's (only the functions below call them).
CREATE SCHEMA pgcrypto;
REVOKE ALL ON SCHEMA pgcrypto FROM PUBLIC;
CREATE EXTENSION pgcrypto WITH SCHEMA pgcrypto;

-- The CLI's and the nightly job's roles: the application role's table rights, and the one way each acts.
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'finsam_operator') THEN
        CREATE ROLE finsam_operator LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS NOREPLICATION;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'finsam_nightly') THEN
        CREATE ROLE finsam_nightly LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS NOREPLICATION;
    END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
END
$$;

-- Membership is cluster-wide: a second database of the cluster finds it granted (or granting at the same moment).
DO $$
BEGIN
    IF NOT pg_has_role('finsam_operator', 'finsam_app', 'MEMBER') THEN
        GRANT finsam_app TO finsam_operator;
    END IF;
    IF NOT pg_has_role('finsam_nightly', 'finsam_app', 'MEMBER') THEN
        GRANT finsam_app TO finsam_nightly;
    END IF;
EXCEPTION WHEN unique_violation THEN NULL;
END
$$;

-- The key that signs granted scopes. One row; nobody but the owner reads it.
CREATE TABLE scope_key (
    only_row boolean PRIMARY KEY DEFAULT true CONSTRAINT scope_key_one_row CHECK (only_row),
    key bytea NOT NULL CONSTRAINT scope_key_length CHECK (length(key) = 32)
);
INSERT INTO scope_key (key) VALUES (pgcrypto.gen_random_bytes(32));
REVOKE ALL ON scope_key FROM PUBLIC;

-- The transaction's start in microseconds: what binds a granted scope to its transaction.
CREATE FUNCTION finsam_transaction_moment() RETURNS text
LANGUAGE sql STABLE PARALLEL RESTRICTED SET search_path = pg_catalog, public, pg_temp AS $$
    SELECT floor(extract(epoch FROM transaction_timestamp()) * 1000000)::bigint::text
$$;

-- Grants the transaction its scope: the federations given, or every federation (null). Only the act-as functions
-- below call it (they run as the owner); nobody else may.
CREATE FUNCTION finsam_grant_scope(p_federations bigint[]) RETURNS void
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    payload text := pg_backend_pid()::text || ':' || finsam_transaction_moment() || ':'
        || coalesce(p_federations::text, '*');
BEGIN
    PERFORM set_config('finsam.scope',
        payload || '|' || encode(pgcrypto.hmac(convert_to(payload, 'UTF8'), (SELECT key FROM scope_key), 'sha256'), 'hex'),
        true);
    -- See ActorScope.act (Database.swift): the service's queries are small; JIT compilation only costs.
    PERFORM set_config('jit', 'off', true);
END
$$;
REVOKE ALL ON FUNCTION finsam_grant_scope(bigint[]) FROM PUBLIC;

-- The transaction's scope: the federations it may see, null for every one, none when nothing was granted. A scope
-- that was not granted by finsam_grant_scope in this transaction on this backend stops the statement.
CREATE FUNCTION finsam_scope() RETURNS bigint[]
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
        OR parts[2] <> finsam_transaction_moment()
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
REVOKE ALL ON FUNCTION finsam_scope() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION finsam_scope() TO finsam_app;

-- Every policy reads the granted scope, once per statement. finsam_visible(x) becomes the same test written out: a
-- SQL function with a sub-select is not inlined, and a policy calling it would check the scope for every row.
DO $$
DECLARE
    p record;
    scoped constant text := '((SELECT finsam_scope()) IS NULL OR \2 = ANY ((SELECT finsam_scope())::bigint[]))';
BEGIN
    FOR p IN
        SELECT pol.polname, c.relname, pg_get_expr(pol.polqual, pol.polrelid) AS qual,
            pg_get_expr(pol.polwithcheck, pol.polrelid) AS with_check
        FROM pg_policy pol JOIN pg_class c ON c.oid = pol.polrelid
        WHERE c.relnamespace = 'public'::regnamespace
    LOOP
        IF p.qual IS NOT NULL AND p.qual LIKE '%finsam_visible(%' THEN
            EXECUTE format('ALTER POLICY %I ON %I USING (%s)', p.polname, p.relname,
                regexp_replace(p.qual, '(public\.)?finsam_visible\(([a-z_]+)\)', scoped, 'g'));
        END IF;
        IF p.with_check IS NOT NULL AND p.with_check LIKE '%finsam_visible(%' THEN
            EXECUTE format('ALTER POLICY %I ON %I WITH CHECK (%s)', p.polname, p.relname,
                regexp_replace(p.with_check, '(public\.)?finsam_visible\(([a-z_]+)\)', scoped, 'g'));
        END IF;
    END LOOP;
END
$$;

-- The old predicate, for any query that still names it: the granted scope, nothing else.
CREATE OR REPLACE FUNCTION finsam_visible(federation bigint) RETURNS boolean
LANGUAGE sql STABLE PARALLEL RESTRICTED AS $$
    SELECT public.finsam_scope() IS NULL OR federation OPERATOR(pg_catalog.=) ANY (public.finsam_scope())
$$;

-- A user's password: a bcrypt hash (pgcrypto), readable by the owner only.
CREATE TABLE user_credential (
    user_code text PRIMARY KEY REFERENCES app_user (user_code),
    password_hash text NOT NULL CONSTRAINT user_credential_bcrypt CHECK (password_hash ~ '^\$2a\$[0-9]{2}\$.{53}$'),
    changed_at timestamptz NOT NULL DEFAULT now(),
    changed_by text NOT NULL
);

-- A signed-in session: the SHA-256 of its secret (the cookie holds the secret), its expiry, and its end (sign-out).
CREATE TABLE user_session (
    session_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_code text NOT NULL REFERENCES app_user (user_code),
    secret_hash bytea NOT NULL UNIQUE CONSTRAINT user_session_hash_length CHECK (length(secret_hash) = 32),
    address inet,
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    ended_at timestamptz,
    CONSTRAINT user_session_expires_after_start CHECK (expires_at > created_at)
);
CREATE INDEX user_session_by_user ON user_session (user_code) WHERE ended_at IS NULL;

-- An API token for scripts: shown once when it is made; only the SHA-256 of its secret is kept.
CREATE TABLE api_token (
    token_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_code text NOT NULL REFERENCES app_user (user_code),
    name text NOT NULL CONSTRAINT api_token_name_format CHECK (name ~ '^[a-z0-9][a-z0-9._-]{0,59}$'),
    secret_hash bytea NOT NULL UNIQUE CONSTRAINT api_token_hash_length CHECK (length(secret_hash) = 32),
    created_at timestamptz NOT NULL DEFAULT now(),
    created_by text NOT NULL,
    expires_at timestamptz,
    revoked_at timestamptz,
    revoked_by text,
    CONSTRAINT api_token_expires_after_start CHECK (expires_at IS NULL OR expires_at > created_at),
    CONSTRAINT api_token_revocation_complete CHECK ((revoked_at IS NULL) = (revoked_by IS NULL))
);
CREATE UNIQUE INDEX api_token_active_name ON api_token (user_code, name) WHERE revoked_at IS NULL;

-- Failed sign-ins, for slowing the next ones per user and per address.
CREATE TABLE sign_in_failure (
    failure_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_code text NOT NULL,
    address inet,
    at timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX sign_in_failure_by_user ON sign_in_failure (user_code, at);
CREATE INDEX sign_in_failure_by_address ON sign_in_failure (address, at);

REVOKE ALL ON user_credential, user_session, api_token, sign_in_failure FROM PUBLIC;

-- A person's roles, as the act-as functions return them: no row, the user does not exist; one row of nulls, the user
-- exists and holds no role.
CREATE FUNCTION finsam_roles_of(p_user text) RETURNS TABLE (federation text, role text)
LANGUAGE sql STABLE SET search_path = pg_catalog, public, pg_temp AS $$
    SELECT f.code, g.role::text
    FROM app_user u
    LEFT JOIN user_role_grant g ON g.user_code = u.user_code
    LEFT JOIN federation f ON f.federation_id = g.federation_id
    WHERE u.user_code = p_user
$$;
REVOKE ALL ON FUNCTION finsam_roles_of(text) FROM PUBLIC;

-- The federations a person holds a role in.
CREATE FUNCTION finsam_federations_of(p_user text) RETURNS bigint[]
LANGUAGE sql STABLE SET search_path = pg_catalog, public, pg_temp AS $$
    SELECT coalesce(array_agg(DISTINCT g.federation_id ORDER BY g.federation_id), '{}')
    FROM user_role_grant g WHERE g.user_code = p_user
$$;
REVOKE ALL ON FUNCTION finsam_federations_of(text) FROM PUBLIC;

-- The CLI acts for a person by user code (the operator is trusted to name whom it acts for).
CREATE OR REPLACE FUNCTION finsam_act_as(p_user text) RETURNS TABLE (federation text, role text)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
    PERFORM finsam_grant_scope(finsam_federations_of(p_user));
    RETURN QUERY SELECT r.federation, r.role FROM finsam_roles_of(p_user) r;
END
$$;
REVOKE ALL ON FUNCTION finsam_act_as(text) FROM PUBLIC, finsam_app;
GRANT EXECUTE ON FUNCTION finsam_act_as(text) TO finsam_operator;

-- The operator at the server's terminal: every federation.
CREATE FUNCTION finsam_act_as_operator() RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
    PERFORM finsam_grant_scope(NULL);
END
$$;
REVOKE ALL ON FUNCTION finsam_act_as_operator() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION finsam_act_as_operator() TO finsam_operator;

-- The nightly job: every federation.
CREATE FUNCTION finsam_act_as_system() RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
    PERFORM finsam_grant_scope(NULL);
END
$$;
REVOKE ALL ON FUNCTION finsam_act_as_system() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION finsam_act_as_system() TO finsam_nightly, finsam_operator;

-- The SHA-256 a secret is kept as.
CREATE FUNCTION finsam_secret_hash(p_secret text) RETURNS bytea
LANGUAGE sql IMMUTABLE SET search_path = pg_catalog, public, pg_temp AS $$
    SELECT sha256(convert_to(p_secret, 'UTF8'))
$$;
REVOKE ALL ON FUNCTION finsam_secret_hash(text) FROM PUBLIC;

-- The daemon acts for whoever presents a live session's or API token's secret. No row: the secret is unknown,
-- expired, signed out or revoked, and the transaction is scoped to nothing.
CREATE FUNCTION finsam_act_as_credential(p_secret text) RETURNS TABLE (user_code text, federation text, role text)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    who text;
    hashed bytea := finsam_secret_hash(p_secret);
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
    PERFORM finsam_grant_scope(finsam_federations_of(who));
    RETURN QUERY SELECT who, r.federation, r.role FROM finsam_roles_of(who) r;
END
$$;
REVOKE ALL ON FUNCTION finsam_act_as_credential(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION finsam_act_as_credential(text) TO finsam_app;

-- How long a sign-in must wait after `failures` failed ones in the window: nothing below the threshold, then 2, 4, 8 …
-- seconds, at most 15 minutes.
CREATE FUNCTION finsam_sign_in_delay(failures bigint, threshold int) RETURNS interval
LANGUAGE sql IMMUTABLE SET search_path = pg_catalog, public, pg_temp AS $$
    SELECT CASE WHEN failures < threshold THEN interval '0'
        ELSE make_interval(secs => least(900, power(2, least(failures - threshold + 1, 20))::int)) END
$$;
REVOKE ALL ON FUNCTION finsam_sign_in_delay(bigint, int) FROM PUBLIC;

-- Signs a user in with their password. Outcomes: 'signed-in' with the session's secret and expiry; 'refused' (wrong
-- user or password: the same answer, and the same bcrypt work, for both); 'throttled' with the seconds to wait,
-- after 5 failures for the user or 20 from the address within 15 minutes. A throttled attempt is not checked.
CREATE FUNCTION finsam_sign_in(p_user text, p_password text, p_address inet, p_lifetime interval)
RETURNS TABLE (outcome text, secret text, expires_at timestamptz, retry_after int)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    window_start timestamptz := clock_timestamp() - interval '15 minutes';
    user_failures bigint;
    user_last timestamptz;
    address_failures bigint;
    address_last timestamptz;
    wait_until timestamptz;
    stored text;
    new_secret text;
    lifetime interval := least(greatest(coalesce(p_lifetime, interval '8 hours'), interval '1 minute'), interval '24 hours');
BEGIN
    SELECT count(*), max(f.at) INTO user_failures, user_last
    FROM sign_in_failure f WHERE f.user_code = p_user AND f.at > window_start;
    SELECT count(*), max(f.at) INTO address_failures, address_last
    FROM sign_in_failure f WHERE p_address IS NOT NULL AND f.address = p_address AND f.at > window_start;
    wait_until := greatest(user_last + finsam_sign_in_delay(user_failures, 5),
        address_last + finsam_sign_in_delay(address_failures, 20));
    IF wait_until > clock_timestamp() THEN
        RETURN QUERY SELECT 'throttled', NULL::text, NULL::timestamptz,
            ceil(extract(epoch FROM wait_until - clock_timestamp()))::int;
        RETURN;
    END IF;

    SELECT c.password_hash INTO stored FROM user_credential c WHERE c.user_code = p_user;
    -- An unknown user costs the same bcrypt work as a wrong password (the hash of a random string, cost 11).
    IF pgcrypto.crypt(p_password, coalesce(stored, '$2a$11$667kfc4P7tSZ2LXKKdQcrONhnP4Nm7bqSj6KKqVwqz7wzYt89UZRm'))
            IS DISTINCT FROM stored THEN
        INSERT INTO sign_in_failure (user_code, address) VALUES (left(p_user, 100), p_address);
        DELETE FROM sign_in_failure f WHERE f.at < clock_timestamp() - interval '1 day';
        RETURN QUERY SELECT 'refused', NULL::text, NULL::timestamptz, NULL::int;
        RETURN;
    END IF;

    DELETE FROM sign_in_failure f WHERE f.user_code = p_user;
    new_secret := 'fss_' || encode(pgcrypto.gen_random_bytes(32), 'hex');
    INSERT INTO user_session (user_code, secret_hash, address, expires_at)
    VALUES (p_user, finsam_secret_hash(new_secret), p_address, now() + lifetime);
    RETURN QUERY SELECT 'signed-in', new_secret, now() + lifetime, NULL::int;
END
$$;
REVOKE ALL ON FUNCTION finsam_sign_in(text, text, inet, interval) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION finsam_sign_in(text, text, inet, interval) TO finsam_app;

-- Signs a session out: its secret no longer acts for anyone. False when it was not a live session.
CREATE FUNCTION finsam_sign_out(p_secret text) RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
    UPDATE user_session SET ended_at = now()
    WHERE secret_hash = finsam_secret_hash(p_secret) AND ended_at IS NULL AND expires_at > now();
    RETURN FOUND;
END
$$;
REVOKE ALL ON FUNCTION finsam_sign_out(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION finsam_sign_out(text) TO finsam_app;

-- Sets a user's password (the operator, `finsam user passwd`); the user's sessions end. False: no such user.
CREATE FUNCTION finsam_set_password(p_user text, p_password text, p_by text) RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM app_user WHERE user_code = p_user) THEN
        RETURN false;
    END IF;
    IF p_password IS NULL OR p_password = '' THEN
        RAISE EXCEPTION 'lösenordet är tomt' USING ERRCODE = 'FN051';
    END IF;
    INSERT INTO user_credential (user_code, password_hash, changed_by)
    VALUES (p_user, pgcrypto.crypt(p_password, pgcrypto.gen_salt('bf', 11)), p_by)
    ON CONFLICT (user_code) DO UPDATE
        SET password_hash = EXCLUDED.password_hash, changed_at = now(), changed_by = EXCLUDED.changed_by;
    UPDATE user_session SET ended_at = now() WHERE user_code = p_user AND ended_at IS NULL;
    DELETE FROM sign_in_failure WHERE user_code = p_user;
    RETURN true;
END
$$;
REVOKE ALL ON FUNCTION finsam_set_password(text, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION finsam_set_password(text, text, text) TO finsam_operator;

-- Makes an API token for a user; returns its secret, the only time it is shown.
CREATE FUNCTION finsam_token_create(p_user text, p_name text, p_expires timestamptz, p_by text)
RETURNS TABLE (token_id bigint, secret text)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    new_secret text := 'fst_' || encode(pgcrypto.gen_random_bytes(32), 'hex');
    new_id bigint;
BEGIN
    INSERT INTO api_token (user_code, name, secret_hash, created_by, expires_at)
    VALUES (p_user, p_name, finsam_secret_hash(new_secret), p_by, p_expires)
    RETURNING api_token.token_id INTO new_id;
    RETURN QUERY SELECT new_id, new_secret;
END
$$;
REVOKE ALL ON FUNCTION finsam_token_create(text, text, timestamptz, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION finsam_token_create(text, text, timestamptz, text) TO finsam_operator;

-- The tokens of a user (or of everyone: null), without their hashes.
CREATE FUNCTION finsam_token_list(p_user text)
RETURNS TABLE (token_id bigint, user_code text, name text, created_at timestamptz, created_by text,
    expires_at timestamptz, revoked_at timestamptz, revoked_by text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
    SELECT t.token_id, t.user_code, t.name, t.created_at, t.created_by, t.expires_at, t.revoked_at, t.revoked_by
    FROM api_token t WHERE p_user IS NULL OR t.user_code = p_user
    ORDER BY t.user_code, t.created_at, t.token_id
$$;
REVOKE ALL ON FUNCTION finsam_token_list(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION finsam_token_list(text) TO finsam_operator;

-- Revokes a user's live token by name. False: no live token of that name.
CREATE FUNCTION finsam_token_revoke(p_user text, p_name text, p_by text) RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
    UPDATE api_token SET revoked_at = now(), revoked_by = p_by
    WHERE user_code = p_user AND name = p_name AND revoked_at IS NULL;
    RETURN FOUND;
END
$$;
REVOKE ALL ON FUNCTION finsam_token_revoke(text, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION finsam_token_revoke(text, text, text) TO finsam_operator;
