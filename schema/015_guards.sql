-- 015: guards a session could fool, and amounts no federation comes near (issue 13).
--
-- Tried as an attacker would, as the application role: a temporary table shadowed the table a trigger read (a
-- disbursement approved without the chair, a preparer approving her own, a funding decision for Försäkringskassan);
-- a deferred check saw nothing after the session narrowed its own scope; two credit notes of one invoice passed its
-- total; a bank payment was both settled and allocated, or cleared without a match; an approval came from someone
-- without the role; a state changed without its transition; an invoiced plan was changed; a reversal named an
-- unrelated voucher. Each is refused here. Errors raised here use SQLSTATE FN030…FN039.

-- Amounts. No Finsam amount approaches a thousand billion kronor (DOMAIN.md, Money; FinsamCore's Money.limit):
-- every amount column, and every maintained balance, stays within ±999 999 999 999,99 kr. Sums of many such
-- amounts then fit in bigint, and a file or a script cannot push the ledger to where a sum would overflow.
DO $$
DECLARE
    c record;
BEGIN
    FOR c IN
        SELECT col.table_name, col.column_name
        FROM information_schema.columns col
        JOIN information_schema.tables t USING (table_schema, table_name)
        WHERE col.table_schema = 'public' AND t.table_type = 'BASE TABLE'
          AND col.column_name LIKE '%\_ore' AND col.data_type = 'bigint'
        ORDER BY 1, 2
    LOOP
        EXECUTE format('ALTER TABLE %I ADD CONSTRAINT %I CHECK (%I BETWEEN -99999999999999 AND 99999999999999)',
            c.table_name, c.table_name || '_' || c.column_name || '_within_limit', c.column_name);
    END LOOP;
END
$$;

-- The application role creates no temporary objects: nothing it makes can stand in for a table a function reads.
DO $$
BEGIN
    EXECUTE format('REVOKE TEMPORARY ON DATABASE %I FROM PUBLIC', current_database());
    EXECUTE format('REVOKE TEMPORARY ON DATABASE %I FROM finsam_app', current_database());
END
$$;

-- The row-level security predicate, with every name qualified: it stays an inlinable SQL function (a SET clause
-- would make PostgreSQL call it for every row a report reads), and no object of the session can stand in for what
-- it names (coalesce and nullif are syntax, not functions).
CREATE OR REPLACE FUNCTION finsam_visible(federation bigint) RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT coalesce(pg_catalog.current_setting('finsam.all_federations', true), '') OPERATOR(pg_catalog.=) 'on'
        OR federation OPERATOR(pg_catalog.=) ANY (coalesce(
            nullif(pg_catalog.current_setting('finsam.federations', true), ''), '{}')::pg_catalog.int8[])
$$;

-- Credit notes: the invoice row is locked FOR UPDATE (FOR SHARE let two sessions hold it at once, each count the
-- other's credit note as absent, and both commit: 520 000 kr credited on an invoice of 512 500).
CREATE OR REPLACE FUNCTION finsam_credit_note_before_insert() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    next_number int;
    invoice_total bigint;
    credited bigint;
BEGIN
    SELECT total_ore INTO invoice_total FROM invoice
    WHERE federation_id = NEW.federation_id AND invoice_id = NEW.invoice_id FOR UPDATE;
    SELECT coalesce(sum(amount_ore), 0) INTO credited FROM credit_note
    WHERE federation_id = NEW.federation_id AND invoice_id = NEW.invoice_id;
    IF credited + NEW.amount_ore > invoice_total THEN
        RAISE EXCEPTION 'credit notes of invoice % would add up to % öre, more than its total % öre',
            NEW.invoice_id, credited + NEW.amount_ore, invoice_total
            USING ERRCODE = 'FN012', TABLE = 'credit_note';
    END IF;
    NEW.fiscal_year := extract(year FROM NEW.issue_date)::int;
    NEW.issued_at := now();
    INSERT INTO invoice_series_counter AS c (federation_id, fiscal_year, last_number)
    VALUES (NEW.federation_id, NEW.fiscal_year, 1)
    ON CONFLICT (federation_id, fiscal_year) DO UPDATE SET last_number = c.last_number + 1
    RETURNING last_number INTO next_number;
    IF NEW.number IS NOT NULL AND NEW.number <> next_number THEN
        RAISE EXCEPTION 'credit note number % of % would leave a gap or a duplicate (next is %)',
            NEW.number, NEW.fiscal_year, next_number
            USING ERRCODE = 'FN005', TABLE = 'credit_note', COLUMN = 'number';
    END IF;
    NEW.number := next_number;
    RETURN NEW;
END
$$;

-- Bank payments: waiting (a reason, nothing booked), or accounted for (no reason, and either invoice payments or
-- one settling voucher, never both). Checked at commit, from every table that can change it.
CREATE FUNCTION finsam_bank_payment_accounted() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    reason text;
    allocations bigint;
    settled boolean;
BEGIN
    SELECT b.unmatched_reason INTO reason FROM bank_payment b
    WHERE b.federation_id = NEW.federation_id AND b.bank_payment_id = NEW.bank_payment_id;
    SELECT count(*) INTO allocations FROM bank_payment_allocation a
    WHERE a.federation_id = NEW.federation_id AND a.bank_payment_id = NEW.bank_payment_id;
    settled := EXISTS (SELECT 1 FROM bank_payment_voucher s
                       WHERE s.federation_id = NEW.federation_id AND s.bank_payment_id = NEW.bank_payment_id);
    IF allocations > 0 AND settled THEN
        RAISE EXCEPTION 'bank payment % both pays invoices and is settled by a voucher', NEW.bank_payment_id
            USING ERRCODE = 'FN036', TABLE = 'bank_payment';
    END IF;
    IF reason IS NULL AND allocations = 0 AND NOT settled THEN
        RAISE EXCEPTION 'bank payment % is no longer waiting, but pays no invoice and no voucher settles it', NEW.bank_payment_id
            USING ERRCODE = 'FN036', TABLE = 'bank_payment', COLUMN = 'unmatched_reason';
    END IF;
    IF reason IS NOT NULL AND (allocations > 0 OR settled) THEN
        RAISE EXCEPTION 'bank payment % is booked but still listed as waiting', NEW.bank_payment_id
            USING ERRCODE = 'FN036', TABLE = 'bank_payment', COLUMN = 'unmatched_reason';
    END IF;
    RETURN NULL;
END
$$;

CREATE CONSTRAINT TRIGGER bank_payment_accounted AFTER INSERT OR UPDATE ON bank_payment
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION finsam_bank_payment_accounted();
CREATE CONSTRAINT TRIGGER bank_payment_allocation_accounted AFTER INSERT ON bank_payment_allocation
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION finsam_bank_payment_accounted();
CREATE CONSTRAINT TRIGGER bank_payment_voucher_accounted AFTER INSERT ON bank_payment_voucher
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION finsam_bank_payment_accounted();

-- Approvals: besides the rules of 011, the approver holds the role they approve in, in this federation.
CREATE OR REPLACE FUNCTION disbursement_approval_check() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    d disbursement%ROWTYPE;
BEGIN
    SELECT * INTO d FROM disbursement WHERE federation_id = NEW.federation_id AND disbursement_id = NEW.disbursement_id;
    IF d.state <> 'submitted' OR d.submission <> NEW.submission THEN
        RAISE EXCEPTION 'only a submitted disbursement is approved' USING ERRCODE = 'FN027', TABLE = 'disbursement_approval';
    END IF;
    IF NOT EXISTS (
        SELECT 1 FROM user_role_grant g
        WHERE g.federation_id = NEW.federation_id AND g.user_code = NEW.approved_by AND g.role = NEW.role
    ) THEN
        RAISE EXCEPTION '% does not hold the role % in the federation', NEW.approved_by, NEW.role
            USING ERRCODE = 'FN030', TABLE = 'disbursement_approval', COLUMN = 'approved_by';
    END IF;
    IF NEW.approved_by = d.prepared_by OR EXISTS (
        SELECT 1 FROM disbursement_transition t WHERE t.federation_id = NEW.federation_id
          AND t.disbursement_id = NEW.disbursement_id AND t.actor = NEW.approved_by
          AND (t.to_state = 'submitted' OR t.from_state IS NULL OR (t.from_state = t.to_state))
    ) THEN
        RAISE EXCEPTION 'nobody approves a disbursement they prepared or submitted'
            USING ERRCODE = 'FN029', TABLE = 'disbursement_approval', COLUMN = 'approved_by';
    END IF;
    RETURN NEW;
END
$$;

-- A transition follows the one before it: numbered in order, from the state the last one reached.
CREATE FUNCTION finsam_disbursement_transition_in_order() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    last disbursement_transition%ROWTYPE;
BEGIN
    PERFORM 1 FROM disbursement WHERE federation_id = NEW.federation_id AND disbursement_id = NEW.disbursement_id FOR UPDATE;
    SELECT * INTO last FROM disbursement_transition
    WHERE federation_id = NEW.federation_id AND disbursement_id = NEW.disbursement_id
    ORDER BY sequence DESC LIMIT 1;
    IF NOT FOUND THEN
        IF NEW.sequence <> 1 OR NEW.from_state IS NOT NULL OR NEW.to_state <> 'draft' THEN
            RAISE EXCEPTION 'a disbursement''s history starts with its draft' USING ERRCODE = 'FN033', TABLE = 'disbursement_transition';
        END IF;
    ELSIF NEW.sequence <> last.sequence + 1 OR NEW.from_state IS DISTINCT FROM last.to_state THEN
        RAISE EXCEPTION 'transition % does not follow transition % (to %)', NEW.sequence, last.sequence, last.to_state
            USING ERRCODE = 'FN033', TABLE = 'disbursement_transition';
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER disbursement_transition_in_order BEFORE INSERT ON disbursement_transition
    FOR EACH ROW EXECUTE FUNCTION finsam_disbursement_transition_in_order();

-- At commit, a disbursement's state is the one its last transition reached, and whoever it names as its preparer
-- is the actor of its last preparation (the draft, or a new amount of a draft or returned one): no state and no
-- preparer changes without its row in the history.
CREATE FUNCTION finsam_disbursement_history_complete() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    current disbursement%ROWTYPE;
    reached disbursement_state;
    preparer text;
BEGIN
    SELECT * INTO current FROM disbursement WHERE federation_id = NEW.federation_id AND disbursement_id = NEW.disbursement_id;
    SELECT to_state INTO reached FROM disbursement_transition
    WHERE federation_id = NEW.federation_id AND disbursement_id = NEW.disbursement_id
    ORDER BY sequence DESC LIMIT 1;
    IF reached IS DISTINCT FROM current.state THEN
        RAISE EXCEPTION 'disbursement % is %, but its history ends in %', current.number, current.state, coalesce(reached::text, 'nothing')
            USING ERRCODE = 'FN034', TABLE = 'disbursement', COLUMN = 'state';
    END IF;
    SELECT actor INTO preparer FROM disbursement_transition
    WHERE federation_id = NEW.federation_id AND disbursement_id = NEW.disbursement_id
      AND (from_state IS NULL OR from_state = to_state)
    ORDER BY sequence DESC LIMIT 1;
    IF preparer IS DISTINCT FROM current.prepared_by THEN
        RAISE EXCEPTION 'disbursement % names % as its preparer, but its history says %', current.number, current.prepared_by, preparer
            USING ERRCODE = 'FN034', TABLE = 'disbursement', COLUMN = 'prepared_by';
    END IF;
    RETURN NULL;
END
$$;

CREATE CONSTRAINT TRIGGER disbursement_history_complete AFTER INSERT OR UPDATE ON disbursement
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION finsam_disbursement_history_complete();

-- Contribution plans. Once a year's contributions are invoiced, its plan is never changed in place: a new plan (a
-- member that joined or left, a new total) replaces it whole, and the replaced one is kept here as it was, so that
-- what the invoices were made from can always be shown.
CREATE TABLE contribution_plan_replaced (
    federation_id bigint NOT NULL REFERENCES federation (federation_id),
    fiscal_year int NOT NULL,
    replaced_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    plan jsonb NOT NULL,
    shares jsonb NOT NULL,
    PRIMARY KEY (federation_id, fiscal_year, replaced_at)
);

CREATE FUNCTION finsam_contribution_year_invoiced(federation bigint, year int) RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT EXISTS (SELECT 1 FROM invoice WHERE federation_id = federation AND contribution_year = year)
$$;

CREATE FUNCTION finsam_contribution_plan_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NOT finsam_contribution_year_invoiced(OLD.federation_id, OLD.fiscal_year) THEN
        RETURN CASE TG_OP WHEN 'DELETE' THEN OLD ELSE NEW END;
    END IF;
    IF TG_OP = 'UPDATE' THEN
        RAISE EXCEPTION 'the contributions of % are invoiced: their plan is replaced whole, never changed', OLD.fiscal_year
            USING ERRCODE = 'FN031', TABLE = TG_TABLE_NAME;
    END IF;
    IF TG_TABLE_NAME = 'contribution_share' THEN
        -- A share goes only with its plan (the cascade of the plan's deletion runs after the plan row is gone).
        IF EXISTS (SELECT 1 FROM contribution_plan WHERE federation_id = OLD.federation_id AND fiscal_year = OLD.fiscal_year) THEN
            RAISE EXCEPTION 'the contributions of % are invoiced: a member''s share is not removed from the plan', OLD.fiscal_year
                USING ERRCODE = 'FN031', TABLE = TG_TABLE_NAME;
        END IF;
        RETURN OLD;
    END IF;
    INSERT INTO contribution_plan_replaced (federation_id, fiscal_year, plan, shares)
    SELECT OLD.federation_id, OLD.fiscal_year, to_jsonb(OLD),
           coalesce((SELECT jsonb_agg(to_jsonb(s) ORDER BY s.member_id) FROM contribution_share s
                     WHERE s.federation_id = OLD.federation_id AND s.fiscal_year = OLD.fiscal_year), '[]');
    RETURN OLD;
END
$$;

CREATE TRIGGER contribution_plan_guard BEFORE UPDATE OR DELETE ON contribution_plan
    FOR EACH ROW EXECUTE FUNCTION finsam_contribution_plan_guard();
CREATE TRIGGER contribution_share_guard BEFORE UPDATE OR DELETE ON contribution_share
    FOR EACH ROW EXECUTE FUNCTION finsam_contribution_plan_guard();

-- At commit, an invoiced year still has a plan: it was replaced, not removed.
CREATE FUNCTION finsam_contribution_plan_kept() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF finsam_contribution_year_invoiced(OLD.federation_id, OLD.fiscal_year) AND NOT EXISTS (
        SELECT 1 FROM contribution_plan WHERE federation_id = OLD.federation_id AND fiscal_year = OLD.fiscal_year
    ) THEN
        RAISE EXCEPTION 'the contributions of % are invoiced: their plan is replaced, never removed', OLD.fiscal_year
            USING ERRCODE = 'FN032', TABLE = 'contribution_plan';
    END IF;
    RETURN NULL;
END
$$;

CREATE CONSTRAINT TRIGGER contribution_plan_kept AFTER DELETE ON contribution_plan
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION finsam_contribution_plan_kept();

CREATE TRIGGER contribution_plan_replaced_immutable BEFORE UPDATE OR DELETE ON contribution_plan_replaced
    FOR EACH ROW EXECUTE FUNCTION finsam_refuse_change();
CREATE TRIGGER contribution_plan_replaced_truncate BEFORE TRUNCATE ON contribution_plan_replaced
    FOR EACH STATEMENT EXECUTE FUNCTION finsam_refuse_change();
ALTER TABLE contribution_plan_replaced ENABLE ROW LEVEL SECURITY;
CREATE POLICY contribution_plan_replaced_scope ON contribution_plan_replaced USING (finsam_visible(federation_id));
GRANT SELECT ON contribution_plan_replaced TO finsam_app;

-- A payment's reversal names the voucher that reverses the payment's own voucher, dated the day of the reversal.
CREATE FUNCTION finsam_payment_reversal_check() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NOT EXISTS (
        SELECT 1 FROM invoice_payment p
        JOIN voucher v ON v.federation_id = p.federation_id AND v.reverses_voucher_id = p.voucher_id
        WHERE p.federation_id = NEW.federation_id AND p.payment_id = NEW.payment_id
          AND v.voucher_id = NEW.voucher_id AND v.voucher_date = NEW.reversed_on
    ) THEN
        RAISE EXCEPTION 'voucher % does not reverse the voucher of payment % on %', NEW.voucher_id, NEW.payment_id, NEW.reversed_on
            USING ERRCODE = 'FN035', TABLE = 'invoice_payment_reversal', COLUMN = 'voucher_id';
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER invoice_payment_reversal_check BEFORE INSERT ON invoice_payment_reversal
    FOR EACH ROW EXECUTE FUNCTION finsam_payment_reversal_check();

-- Last, so that it covers every function above: each function of the schema resolves names in pg_catalog and
-- public only, with the session's temporary schema searched last (never first, as it is by default); and every
-- trigger function runs as the schema's owner, so that a check sees every row it checks whatever the session's
-- row-level security scope (`SET LOCAL finsam.federations = '{}'` before COMMIT hid the rows from a deferred
-- check). finsam_visible is the exception above: qualified names instead of a SET clause.
DO $$
DECLARE
    f record;
BEGIN
    FOR f IN
        SELECT p.oid::regprocedure AS signature, p.prorettype = 'pg_catalog.trigger'::pg_catalog.regtype AS is_trigger
        FROM pg_catalog.pg_proc p
        WHERE p.pronamespace = 'public'::pg_catalog.regnamespace AND p.proname <> 'finsam_visible'
        ORDER BY 1
    LOOP
        EXECUTE format('ALTER FUNCTION %s SET search_path = pg_catalog, public, pg_temp', f.signature);
        IF f.is_trigger THEN
            EXECUTE format('ALTER FUNCTION %s SECURITY DEFINER', f.signature);
        END IF;
    END LOOP;
END
$$;
