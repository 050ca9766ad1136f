-- 019: the audit trail (issue 15). Every change, by any front end or job, leaves one record per federation it
-- touched, in the same transaction: who acted, when, the use case, the command or request, and what changed (the
-- keys of the rows written and a digest of each as it stands afterwards; before and after for settings and roles).
--
-- How it is kept:
-- - Statement triggers on every audited table note the keys a transaction writes (audit_change). They run for every
--   role, so no change escapes being noted.
-- - Before the use case commits, the service seals what was noted (FinsamService's AuditTrail): it takes the digests
--   (finsam_audit_pending), chains one record per federation to the federation's last record, SHA-256 over the
--   previous record's hash and this record's canonical content, and stores it with its subjects.
-- - A transaction of the application role that noted changes and did not seal them cannot commit
--   (audit_sealed, deferred). The owner and superusers can (migrations; tests that write around the service);
--   what they leave unsealed stays in audit_change, where `finsam audit verify` finds it.
-- - Records and subjects are never updated or deleted, by anyone: a trigger refuses it, and the application role has
--   no such privilege either. A record that does not follow its chain is refused at insert.
-- - Anyone who can disable triggers (the owner, a superuser) can still rewrite rows; `finsam audit verify` recomputes
--   the chain and the digests, and names the first record that no longer agrees.
-- Errors raised here use SQLSTATE FN040…FN049.

-- The audited tables, and the key that names a subject in each. Lines are audited with their voucher or invoice
-- (one subject per voucher, whose digest covers all its lines), the numbering counters and the derived balances not
-- at all: they follow from the audited rows. Settings and roles keep the row as it was before and after.
CREATE TABLE audit_table (
    table_name text PRIMARY KEY,
    key_columns text[] NOT NULL,
    keeps_values boolean NOT NULL DEFAULT false,
    -- The SQL that the triggers and the seal run for the table, built once below from the key columns (and their
    -- types) rather than on every statement: a row's key as JSON (`r` the row), its chain, and its digest.
    key_sql text,
    chain_sql text,
    digest_sql text
);

INSERT INTO audit_table (table_name, key_columns, keeps_values) VALUES
    ('federation', '{federation_id}', true),
    ('member', '{federation_id,member_id}', true),
    ('member_population', '{federation_id,member_id,year}', false),
    ('account', '{federation_id,account_number}', true),
    ('intervention', '{federation_id,intervention_id}', true),
    ('voucher', '{federation_id,voucher_id}', false),
    ('voucher_line', '{federation_id,voucher_id}', false),
    ('period_lock', '{federation_id,fiscal_year}', false),
    ('budget_line', '{federation_id,budget_line_id}', false),
    ('import_file', '{federation_id,import_file_id}', false),
    ('contribution_plan', '{federation_id,fiscal_year}', false),
    ('contribution_share', '{federation_id,fiscal_year}', false),
    ('contribution_plan_replaced', '{federation_id,fiscal_year}', false),
    ('invoice', '{federation_id,invoice_id}', false),
    ('invoice_line', '{federation_id,invoice_id}', false),
    ('invoice_payment', '{federation_id,payment_id}', false),
    ('credit_note', '{federation_id,credit_note_id}', false),
    ('invoice_payment_reversal', '{federation_id,payment_id}', false),
    ('app_user', '{user_code}', true),
    ('user_role_grant', '{federation_id,user_code,role}', true),
    ('funding_decision', '{federation_id,decision_id}', false),
    ('funding_adjustment', '{federation_id,decision_id}', false),
    ('disbursement_batch', '{federation_id,batch_number}', false),
    ('disbursement', '{federation_id,disbursement_id}', false),
    ('disbursement_transition', '{federation_id,disbursement_id}', false),
    ('disbursement_approval', '{federation_id,disbursement_id}', false),
    ('bank_deposit', '{federation_id,bank_deposit_id}', false),
    ('bank_payment', '{federation_id,bank_payment_id}', false),
    ('bank_payment_allocation', '{federation_id,payment_id}', false),
    ('bank_payment_voucher', '{federation_id,bank_payment_id}', false),
    ('bank_statement_balance', '{federation_id,account,statement_id}', false),
    ('posting_account', '{federation_id,purpose}', true);

-- What open transactions changed and have not sealed yet. `chain` is the federation's id, 0 for what belongs to no
-- federation (a user as such).
CREATE TABLE audit_change (
    transaction_id xid8 NOT NULL,
    chain bigint NOT NULL,
    table_name text NOT NULL,
    row_key jsonb NOT NULL,
    before jsonb,
    PRIMARY KEY (transaction_id, chain, table_name, row_key)
);

-- One row per transaction with unsealed changes: its deferred trigger checks the seal at commit, once.
CREATE TABLE audit_open (
    transaction_id xid8 PRIMARY KEY
);

-- The chained records, per federation (chain).
CREATE TABLE audit_record (
    chain bigint NOT NULL,
    sequence bigint NOT NULL CONSTRAINT audit_record_sequence_positive CHECK (sequence > 0),
    at timestamptz NOT NULL,
    actor text NOT NULL,
    use_case text NOT NULL,
    request text,
    subject_count int NOT NULL,
    previous_hash bytea NOT NULL CONSTRAINT audit_record_previous_hash_length CHECK (length(previous_hash) = 32),
    hash bytea NOT NULL CONSTRAINT audit_record_hash_length CHECK (length(hash) = 32),
    -- The canonical content the hash covers (JSON with sorted keys, as the service wrote it); the columns above
    -- repeat what it says, for queries, and are checked against it.
    content text NOT NULL,
    PRIMARY KEY (chain, sequence)
);

CREATE INDEX audit_record_by_time ON audit_record (chain, at);

-- What each record names: the key of each row (or voucher's lines) written, and its digest afterwards: SHA-256 over
-- the rows as JSON (finsam_audit_digest). A digest of no rows means the change deleted them.
CREATE TABLE audit_subject (
    chain bigint NOT NULL,
    sequence bigint NOT NULL,
    table_name text NOT NULL,
    row_key jsonb NOT NULL,
    digest text NOT NULL,
    before jsonb,
    after jsonb,
    PRIMARY KEY (chain, sequence, table_name, row_key),
    FOREIGN KEY (chain, sequence) REFERENCES audit_record (chain, sequence)
);

CREATE INDEX audit_subject_by_row ON audit_subject (chain, table_name, row_key, sequence);

-- The digest of the rows of `table_name` whose key columns hold `row_key`'s values: SHA-256 (hex) over each row as
-- JSON, sorted, one per line (no rows: the digest of the empty text). In UTC and ISO dates (the callers' settings),
-- so that the same rows give the same digest in any session.
--
-- This builds the subquery that computes it for one key, a LATERAL join's right side whose left side is aliased k
-- and has a row_key column: one index lookup per key on the table's primary key (each key column cast to its type),
-- so that sealing one voucher costs the same in a ledger of any size. `after` is the row itself when there is one.
CREATE FUNCTION finsam_audit_digest_sql(p_table text, p_keys text[]) RETURNS text
LANGUAGE sql STABLE SET search_path = pg_catalog, public, pg_temp AS $$
    SELECT format(
        'SELECT encode(sha256(convert_to(coalesce(string_agg(to_jsonb(t)::text, E''\n'' ORDER BY to_jsonb(t)::text), ''''), ''UTF8'')), ''hex'') AS digest, '
        'CASE WHEN count(*) = 1 THEN (array_agg(to_jsonb(t)))[1] END AS after '
        'FROM public.%I t WHERE %s',
        p_table,
        (SELECT string_agg(format('t.%1$I = (k.row_key->>%1$L)::%2$s', c,
            (SELECT format_type(a.atttypid, a.atttypmod) FROM pg_attribute a
             WHERE a.attrelid = ('public.' || quote_ident(p_table))::regclass AND a.attname = c)), ' AND ')
         FROM unnest(p_keys) c))
$$;

-- A row's key as JSON (the row aliased r), and the chain it belongs to: the federation's id, or 0.
CREATE FUNCTION finsam_audit_key_sql(p_keys text[]) RETURNS text
LANGUAGE sql IMMUTABLE SET search_path = pg_catalog, public, pg_temp AS $$
    SELECT 'jsonb_build_object(' || string_agg(format('%L, r.%I', c, c), ', ') || ')' FROM unnest(p_keys) c
$$;

UPDATE audit_table SET key_sql = finsam_audit_key_sql(key_columns),
    chain_sql = CASE WHEN 'federation_id' = ANY (key_columns) THEN 'r.federation_id' ELSE '0' END,
    digest_sql = finsam_audit_digest_sql(table_name, key_columns);
ALTER TABLE audit_table ALTER COLUMN key_sql SET NOT NULL, ALTER COLUMN chain_sql SET NOT NULL,
    ALTER COLUMN digest_sql SET NOT NULL;

-- The subjects of the calling transaction's changes, with their digests as the rows stand now, and the time and
-- federation the record will carry. Runs as the owner, so that the digest covers every row whatever the scope.
CREATE FUNCTION finsam_audit_pending()
RETURNS TABLE (chain bigint, federation text, table_name text, row_key text, digest text, before text, after text, at text)
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, public, pg_temp SET "TimeZone" = 'UTC' SET "DateStyle" = 'ISO, YMD' SET "IntervalStyle" = 'postgres'
AS $$
DECLARE
    spec record;
    -- Taken once and passed as a parameter: pg_current_xact_id() is volatile, and in a filter it would keep the
    -- planner from using the index.
    xid xid8 := pg_current_xact_id();
    stamp text := to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"');
BEGIN
    FOR spec IN
        SELECT DISTINCT c.table_name, t.digest_sql, t.keeps_values
        FROM audit_change c JOIN audit_table t USING (table_name)
        WHERE c.transaction_id = xid
        ORDER BY c.table_name
    LOOP
        RETURN QUERY EXECUTE format(
            'SELECT k.chain, f.code, k.table_name, k.row_key::text, d.digest, k.before::text, %s, $2 '
            'FROM audit_change k CROSS JOIN LATERAL (%s) d LEFT JOIN federation f ON f.federation_id = k.chain '
            'WHERE k.transaction_id = $1 AND k.table_name = %L',
            CASE WHEN spec.keeps_values THEN 'd.after::text' ELSE 'NULL::text' END,
            spec.digest_sql, spec.table_name)
        USING xid, stamp;
    END LOOP;
END
$$;

-- The chain's last record, for the next one to follow: taken under a lock on the chain that lasts until the
-- transaction ends, so that the writers of one federation follow one another (those of others go on in parallel).
-- Runs as the owner, so that an administrator adding a person reaches chain 0 outside their scope.
CREATE FUNCTION finsam_audit_head(p_chain bigint) RETURNS TABLE (sequence bigint, hash bytea)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(hashtextextended('finsam audit chain', p_chain));
    RETURN QUERY SELECT r.sequence, r.hash FROM audit_record r WHERE r.chain = p_chain ORDER BY r.sequence DESC LIMIT 1;
END
$$;

-- Forgets the calling transaction's noted changes once the service has sealed them in records.
CREATE FUNCTION finsam_audit_sealed() RETURNS void
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
    DELETE FROM audit_change WHERE transaction_id = (SELECT pg_current_xact_id());
    DELETE FROM audit_open WHERE transaction_id = (SELECT pg_current_xact_id());
$$;

-- Notes the keys a statement wrote (transition tables: one insert per statement, however many rows).
CREATE FUNCTION finsam_audit_capture() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, public, pg_temp SET "TimeZone" = 'UTC' SET "DateStyle" = 'ISO, YMD' SET "IntervalStyle" = 'postgres'
AS $$
DECLARE
    spec audit_table;
BEGIN
    SELECT * INTO STRICT spec FROM audit_table WHERE table_name = TG_TABLE_NAME;
    -- The row before the transaction's first change of it: an update's or a delete's old row, noted first, so that a
    -- row the transaction inserts has no before.
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        EXECUTE format(
            'INSERT INTO audit_change (transaction_id, chain, table_name, row_key, before) '
            'SELECT DISTINCT ON (2, 4) pg_current_xact_id(), %s, %L, %s, %s FROM old_rows r ON CONFLICT DO NOTHING',
            spec.chain_sql, TG_TABLE_NAME, spec.key_sql, CASE WHEN spec.keeps_values THEN 'to_jsonb(r)' ELSE 'NULL::jsonb' END);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        EXECUTE format(
            'INSERT INTO audit_change (transaction_id, chain, table_name, row_key) '
            'SELECT DISTINCT pg_current_xact_id(), %s, %L, %s FROM new_rows r ON CONFLICT DO NOTHING',
            spec.chain_sql, TG_TABLE_NAME, spec.key_sql);
    END IF;
    INSERT INTO audit_open (transaction_id) VALUES (pg_current_xact_id()) ON CONFLICT DO NOTHING;
    RETURN NULL;
END
$$;

DO $$
DECLARE
    name text;
BEGIN
    FOR name IN SELECT table_name FROM audit_table ORDER BY table_name LOOP
        EXECUTE format('CREATE TRIGGER audit_insert AFTER INSERT ON %I REFERENCING NEW TABLE AS new_rows '
            'FOR EACH STATEMENT EXECUTE FUNCTION finsam_audit_capture()', name);
        EXECUTE format('CREATE TRIGGER audit_update AFTER UPDATE ON %I REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows '
            'FOR EACH STATEMENT EXECUTE FUNCTION finsam_audit_capture()', name);
        EXECUTE format('CREATE TRIGGER audit_delete AFTER DELETE ON %I REFERENCING OLD TABLE AS old_rows '
            'FOR EACH STATEMENT EXECUTE FUNCTION finsam_audit_capture()', name);
    END LOOP;
END
$$;

-- At commit: a transaction of the application role (any role that is neither the tables' owner nor a superuser)
-- that changed audited rows must have sealed them.
CREATE FUNCTION finsam_audit_require_sealed() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM audit_open WHERE transaction_id = NEW.transaction_id)
        AND NOT EXISTS (
            SELECT 1 FROM pg_roles r WHERE r.rolname = session_user
              AND (r.rolsuper OR r.oid = (SELECT relowner FROM pg_class WHERE oid = 'public.audit_record'::regclass)))
    THEN
        RAISE EXCEPTION 'ändringarna har ingen post i granskningsloggen'
            USING ERRCODE = 'FN040', HINT = 'every use case seals its changes before it commits';
    END IF;
    RETURN NULL;
END
$$;

CREATE CONSTRAINT TRIGGER audit_sealed AFTER INSERT ON audit_open
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION finsam_audit_require_sealed();

-- A record follows its chain: the next number, the previous record's hash, its own hash over that and its content,
-- and columns that say what the content says.
CREATE FUNCTION finsam_audit_record_follows() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    last audit_record;
    content jsonb;
BEGIN
    SELECT * INTO last FROM audit_record WHERE chain = NEW.chain ORDER BY sequence DESC LIMIT 1;
    IF NEW.sequence <> coalesce(last.sequence, 0) + 1
        OR NEW.previous_hash <> coalesce(last.hash, '\x0000000000000000000000000000000000000000000000000000000000000000'::bytea)
    THEN
        RAISE EXCEPTION 'posten följer inte granskningsloggens kedja (förbund %, post %)', NEW.chain, NEW.sequence
            USING ERRCODE = 'FN041';
    END IF;
    IF NEW.hash <> sha256(NEW.previous_hash || convert_to(NEW.content, 'UTF8')) THEN
        RAISE EXCEPTION 'postens hash stämmer inte med dess innehåll (förbund %, post %)', NEW.chain, NEW.sequence
            USING ERRCODE = 'FN042';
    END IF;
    content := NEW.content::jsonb;
    IF (content->>'chain')::bigint IS DISTINCT FROM NEW.chain OR (content->>'sequence')::bigint IS DISTINCT FROM NEW.sequence
        OR content->>'actor' IS DISTINCT FROM NEW.actor OR content->>'useCase' IS DISTINCT FROM NEW.use_case
        OR content->>'request' IS DISTINCT FROM NEW.request OR (content->>'at')::timestamptz IS DISTINCT FROM NEW.at
        OR (content->>'subjectCount')::int IS DISTINCT FROM NEW.subject_count
    THEN
        RAISE EXCEPTION 'postens kolumner säger inte detsamma som dess innehåll (förbund %, post %)', NEW.chain, NEW.sequence
            USING ERRCODE = 'FN043';
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER audit_record_follows BEFORE INSERT ON audit_record
    FOR EACH ROW EXECUTE FUNCTION finsam_audit_record_follows();

CREATE FUNCTION finsam_audit_immutable() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
    RAISE EXCEPTION 'granskningsloggen ändras aldrig (% på %)', TG_OP, TG_TABLE_NAME USING ERRCODE = 'FN044';
END
$$;

CREATE TRIGGER audit_record_immutable BEFORE UPDATE OR DELETE ON audit_record
    FOR EACH ROW EXECUTE FUNCTION finsam_audit_immutable();
CREATE TRIGGER audit_record_not_truncated BEFORE TRUNCATE ON audit_record
    FOR EACH STATEMENT EXECUTE FUNCTION finsam_audit_immutable();
CREATE TRIGGER audit_subject_immutable BEFORE UPDATE OR DELETE ON audit_subject
    FOR EACH ROW EXECUTE FUNCTION finsam_audit_immutable();
CREATE TRIGGER audit_subject_not_truncated BEFORE TRUNCATE ON audit_subject
    FOR EACH STATEMENT EXECUTE FUNCTION finsam_audit_immutable();

-- What `finsam audit verify` compares: for each subject of the chain, the digest its latest record recorded and the
-- digest of the rows as they stand now. Only the rows that differ.
CREATE FUNCTION finsam_audit_changed_rows(p_chain bigint)
RETURNS TABLE (table_name text, row_key text, sequence bigint, recorded text, current text)
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, public, pg_temp SET "TimeZone" = 'UTC' SET "DateStyle" = 'ISO, YMD' SET "IntervalStyle" = 'postgres'
AS $$
DECLARE
    spec audit_table;
BEGIN
    FOR spec IN SELECT * FROM audit_table ORDER BY audit_table.table_name LOOP
        RETURN QUERY EXECUTE format(
            'SELECT %L::text, k.row_key::text, k.sequence, k.digest, d.digest '
            'FROM (SELECT DISTINCT ON (s.row_key) s.row_key, s.sequence, s.digest FROM audit_subject s '
            '      WHERE s.chain = $1 AND s.table_name = %L ORDER BY s.row_key, s.sequence DESC) k '
            'CROSS JOIN LATERAL (%s) d WHERE d.digest <> k.digest ORDER BY k.sequence',
            spec.table_name, spec.table_name, spec.digest_sql)
        USING p_chain;
    END LOOP;
END
$$;

-- Rows of the chain's federation that no record names: written with the triggers disabled, or around the service.
CREATE FUNCTION finsam_audit_unrecorded_rows(p_chain bigint, p_limit int)
RETURNS TABLE (table_name text, row_key text)
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, public, pg_temp SET "TimeZone" = 'UTC' SET "DateStyle" = 'ISO, YMD' SET "IntervalStyle" = 'postgres'
AS $$
DECLARE
    spec audit_table;
BEGIN
    FOR spec IN SELECT * FROM audit_table ORDER BY audit_table.table_name LOOP
        RETURN QUERY EXECUTE format(
            'SELECT DISTINCT %L::text, k::text FROM (SELECT %s AS k FROM public.%I r WHERE %s = $1) keys '
            'WHERE NOT EXISTS (SELECT 1 FROM audit_subject s WHERE s.chain = $1 AND s.table_name = %L AND s.row_key = keys.k) '
            'LIMIT $2',
            spec.table_name, spec.key_sql, spec.table_name, spec.chain_sql, spec.table_name)
        USING p_chain, p_limit;
    END LOOP;
END
$$;

-- Changes of the chain noted by transactions that committed without sealing them (the owner's, or a superuser's).
CREATE FUNCTION finsam_audit_unsealed(p_chain bigint)
RETURNS TABLE (table_name text, row_key text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
    SELECT c.table_name, c.row_key::text FROM audit_change c
    -- Rows of a transaction still open are not visible here; what is, and is not this transaction's, committed.
    WHERE c.chain = p_chain AND c.transaction_id IS DISTINCT FROM pg_current_xact_id_if_assigned()
    ORDER BY c.table_name, c.row_key::text
$$;

ALTER TABLE audit_record ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit_subject ENABLE ROW LEVEL SECURITY;
-- A federation's chain is seen in its scope; the chain of what belongs to no federation (0) only by the economy
-- office's cross-federation scope. Any scope may add to chain 0: an administrator adding a person.
CREATE POLICY audit_record_read ON audit_record FOR SELECT USING (finsam_visible(chain));
CREATE POLICY audit_record_write ON audit_record FOR INSERT WITH CHECK (chain = 0 OR finsam_visible(chain));
CREATE POLICY audit_subject_read ON audit_subject FOR SELECT USING (finsam_visible(chain));
CREATE POLICY audit_subject_write ON audit_subject FOR INSERT WITH CHECK (chain = 0 OR finsam_visible(chain));

REVOKE ALL ON audit_table, audit_change, audit_open FROM PUBLIC;
GRANT SELECT, INSERT ON audit_record, audit_subject TO finsam_app;
GRANT SELECT ON audit_table TO finsam_app;
REVOKE ALL ON FUNCTION finsam_audit_pending(), finsam_audit_head(bigint), finsam_audit_sealed(), finsam_audit_changed_rows(bigint),
    finsam_audit_unrecorded_rows(bigint, int), finsam_audit_unsealed(bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION finsam_audit_pending(), finsam_audit_head(bigint), finsam_audit_sealed(), finsam_audit_changed_rows(bigint),
    finsam_audit_unrecorded_rows(bigint, int), finsam_audit_unsealed(bigint) TO finsam_app;

-- What was there before the trail began: every row of every audited table is noted as changed by this migration,
-- which `finsam migrate` then seals as the first record of each federation's chain.
DO $$
DECLARE
    spec audit_table;
BEGIN
    FOR spec IN SELECT * FROM audit_table ORDER BY table_name LOOP
        EXECUTE format(
            'INSERT INTO audit_change (transaction_id, chain, table_name, row_key) '
            'SELECT DISTINCT pg_current_xact_id(), %s, %L, %s FROM public.%I r',
            spec.chain_sql, spec.table_name, spec.key_sql, spec.table_name);
    END LOOP;
    INSERT INTO audit_open (transaction_id)
    SELECT pg_current_xact_id() WHERE EXISTS (SELECT 1 FROM audit_change) ON CONFLICT DO NOTHING;
END
$$;
