-- Idempotency keys for the API's writes (issue 16): a client that repeats a write with the same Idempotency-Key,
-- because it never saw the answer, gets the first answer back instead of doing the write twice; the same key with
-- another request is refused. A key is the person's own: the rows are reached only through the two functions
-- below, which take the person's session or API token secret and find the person from it, so that no request can
-- read or claim another person's answers (which may hold another federation's data).
--
-- A key is kept for 24 hours. A request whose answer was never recorded (the daemon stopped in between) keeps its
-- key "in progress" until then: a repeat is refused rather than risk doing the write twice.

CREATE TABLE idempotent_request (
    user_code text NOT NULL REFERENCES app_user (user_code),
    idempotency_key text NOT NULL CHECK (length(idempotency_key) BETWEEN 1 AND 200),
    -- SHA-256 of the method, the path with its query and the body.
    request_hash bytea NOT NULL CHECK (length(request_hash) = 32),
    started_at timestamptz NOT NULL DEFAULT now(),
    -- Set when the answer is recorded; null while the request is in progress.
    status int CHECK (status BETWEEN 200 AND 499),
    content_type text,
    body bytea,
    PRIMARY KEY (user_code, idempotency_key),
    CHECK ((status IS NULL) = (body IS NULL))
);
-- No role but the owner has rights on it: the application role reaches it through the functions only.
REVOKE ALL ON idempotent_request FROM PUBLIC;

CREATE FUNCTION finsam_credential_holder(p_secret text) RETURNS text
LANGUAGE sql STABLE SET search_path = pg_catalog, public, pg_temp AS $$
    SELECT s.user_code FROM user_session s
    WHERE p_secret LIKE 'fss\_%' AND s.secret_hash = finsam_secret_hash(p_secret) AND s.ended_at IS NULL
      AND s.expires_at > statement_timestamp()
    UNION ALL
    SELECT t.user_code FROM api_token t
    WHERE p_secret LIKE 'fst\_%' AND t.secret_hash = finsam_secret_hash(p_secret) AND t.revoked_at IS NULL
      AND (t.expires_at IS NULL OR t.expires_at > statement_timestamp())
    LIMIT 1
$$;
REVOKE ALL ON FUNCTION finsam_credential_holder(text) FROM PUBLIC;

-- Claims a key for a request, or answers what became of the request that claimed it:
--   'new'         the key is the caller's now; do the request, then finsam_idempotency_finish;
--   'replay'      the same request was answered: status, content_type and body are that answer;
--   'in-progress' the same request is running (or never finished);
--   'mismatch'    the key was used for another request;
--   'unknown'     the secret is not a live session or token.
CREATE FUNCTION finsam_idempotency_begin(p_secret text, p_key text, p_request_hash bytea)
RETURNS TABLE (outcome text, status int, content_type text, body bytea)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    who text := finsam_credential_holder(p_secret);
    found_row idempotent_request%ROWTYPE;
BEGIN
    IF who IS NULL THEN
        RETURN QUERY SELECT 'unknown'::text, NULL::int, NULL::text, NULL::bytea;
        RETURN;
    END IF;
    DELETE FROM idempotent_request r
    WHERE r.user_code = who AND r.idempotency_key = p_key AND r.started_at < now() - interval '24 hours';
    INSERT INTO idempotent_request (user_code, idempotency_key, request_hash)
    VALUES (who, p_key, p_request_hash)
    ON CONFLICT DO NOTHING;
    IF FOUND THEN
        RETURN QUERY SELECT 'new'::text, NULL::int, NULL::text, NULL::bytea;
        RETURN;
    END IF;
    SELECT * INTO found_row FROM idempotent_request r WHERE r.user_code = who AND r.idempotency_key = p_key;
    IF found_row.request_hash <> p_request_hash THEN
        RETURN QUERY SELECT 'mismatch'::text, NULL::int, NULL::text, NULL::bytea;
    ELSIF found_row.status IS NULL THEN
        RETURN QUERY SELECT 'in-progress'::text, NULL::int, NULL::text, NULL::bytea;
    ELSE
        RETURN QUERY SELECT 'replay'::text, found_row.status, found_row.content_type, found_row.body;
    END IF;
END
$$;
REVOKE ALL ON FUNCTION finsam_idempotency_begin(text, text, bytea) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION finsam_idempotency_begin(text, text, bytea) TO finsam_app;

-- Records the answer to a claimed key; with a null status (the request failed in a way worth trying again, such as
-- the database being unavailable) it gives the key up, so that the client's repeat is done afresh.
CREATE FUNCTION finsam_idempotency_finish(p_secret text, p_key text, p_status int, p_content_type text, p_body bytea)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    who text := finsam_credential_holder(p_secret);
BEGIN
    IF p_status IS NULL THEN
        DELETE FROM idempotent_request r WHERE r.user_code = who AND r.idempotency_key = p_key AND r.status IS NULL;
    ELSE
        UPDATE idempotent_request r SET status = p_status, content_type = p_content_type, body = p_body
        WHERE r.user_code = who AND r.idempotency_key = p_key AND r.status IS NULL;
    END IF;
END
$$;
REVOKE ALL ON FUNCTION finsam_idempotency_finish(text, text, int, text, bytea) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION finsam_idempotency_finish(text, text, int, text, bytea) TO finsam_app;
