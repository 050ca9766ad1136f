-- 002: the ledger. Chart of accounts, interventions and their cost categories, vouchers and their lines,
-- gapless numbering per federation, year and series, period locks, budgets and forecasts, and a monthly
-- balance per account that reports read instead of the lines.
--
-- DOMAIN.md, The ledger: a voucher's lines sum to zero; posted vouchers are immutable (a correction is a new
-- voucher reversing the old); a closed period takes no new vouchers; numbers have no gaps. The service checks
-- each rule first to give a clear message; the triggers below are the last line, so that even plain SQL as the
-- application role cannot break them. Errors raised here use SQLSTATE class FN (FN001…) so that the service
-- can tell them apart and translate them.
--
-- Amounts are bigint öre (amount_ore): exact, and summed cheaply.

CREATE TYPE cost_category AS ENUM ('individual', 'structural', 'administration', 'reserve');

-- The administration lines of the income statement (DOMAIN.md, Reports).
CREATE TYPE administration_line AS ENUM ('board', 'staff', 'other', 'audit', 'accounting', 'training');

CREATE TYPE voucher_source AS ENUM (
    'manual', 'invoice', 'payment', 'disbursement', 'import', 'opening', 'reversal', 'closing'
);

CREATE TYPE budget_kind AS ENUM ('budget', 'forecast');

-- Kommun-Bas style: the first digit is the class. 1 assets, 2 equity and liabilities, 3 revenue, 4–7 costs,
-- 8 financial items. A revenue account may be the contribution account of one member kind; a cost account
-- may carry the cost category (and administration line) of costs booked on it without an intervention.
CREATE TABLE account (
    federation_id bigint NOT NULL REFERENCES federation (federation_id),
    account_number int NOT NULL CONSTRAINT account_number_range CHECK (account_number BETWEEN 1000 AND 8999),
    name text NOT NULL CONSTRAINT account_name_present CHECK (btrim(name) <> ''),
    member_kind member_kind,
    cost_category cost_category,
    administration_line administration_line,
    active boolean NOT NULL DEFAULT true,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (federation_id, account_number),
    CONSTRAINT account_member_kind_on_revenue CHECK (member_kind IS NULL OR account_number BETWEEN 3000 AND 3999),
    CONSTRAINT account_category_on_cost CHECK (cost_category IS NULL OR account_number BETWEEN 4000 AND 7999),
    CONSTRAINT account_administration_line_category
        CHECK (administration_line IS NULL OR cost_category = 'administration')
);

-- Insats: a financed activity. Its category decides where its costs appear in the cost distribution.
CREATE TABLE intervention (
    federation_id bigint NOT NULL REFERENCES federation (federation_id),
    intervention_id bigint GENERATED ALWAYS AS IDENTITY,
    code text NOT NULL CONSTRAINT intervention_code_format CHECK (code ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$'),
    name text NOT NULL CONSTRAINT intervention_name_present CHECK (btrim(name) <> ''),
    category cost_category NOT NULL,
    active_from date NOT NULL,
    active_to date,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (federation_id, intervention_id),
    CONSTRAINT intervention_code_unique UNIQUE (federation_id, code),
    CONSTRAINT intervention_active_range CHECK (active_to IS NULL OR active_to >= active_from)
);

-- The last number used per federation, year and series. Only the numbering trigger writes it.
CREATE TABLE voucher_series_counter (
    federation_id bigint NOT NULL REFERENCES federation (federation_id),
    fiscal_year int NOT NULL,
    series text NOT NULL,
    last_number int NOT NULL,
    PRIMARY KEY (federation_id, fiscal_year, series)
);

CREATE TABLE voucher (
    federation_id bigint NOT NULL REFERENCES federation (federation_id),
    voucher_id bigint GENERATED ALWAYS AS IDENTITY,
    -- The fiscal year is the calendar year (kommunal redovisning); set from voucher_date by the trigger.
    fiscal_year int NOT NULL,
    series text NOT NULL CONSTRAINT voucher_series_format CHECK (series ~ '^[A-Za-z0-9#]{1,10}$'),
    number int NOT NULL,
    voucher_date date NOT NULL,
    text text NOT NULL,
    source voucher_source NOT NULL,
    -- What the source is, e.g. an invoice number or "SIE A 17" for an imported voucher.
    source_reference text,
    posted_by text NOT NULL CONSTRAINT voucher_posted_by_present CHECK (btrim(posted_by) <> ''),
    posted_at timestamptz NOT NULL DEFAULT now(),
    reverses_voucher_id bigint,
    idempotency_key text,
    -- The top-level transaction that created the voucher: lines may be added in that transaction only.
    created_xact xid8 NOT NULL DEFAULT pg_current_xact_id(),
    PRIMARY KEY (federation_id, voucher_id),
    CONSTRAINT voucher_number_unique UNIQUE (federation_id, fiscal_year, series, number),
    -- A voucher is reversed at most once.
    CONSTRAINT voucher_reversed_once UNIQUE (federation_id, reverses_voucher_id),
    CONSTRAINT voucher_idempotency_key_unique UNIQUE (federation_id, idempotency_key),
    CONSTRAINT voucher_reverses_fk FOREIGN KEY (federation_id, reverses_voucher_id)
        REFERENCES voucher (federation_id, voucher_id),
    CONSTRAINT voucher_reversal_source CHECK ((reverses_voucher_id IS NULL) = (source <> 'reversal'))
);

CREATE INDEX voucher_by_date ON voucher (federation_id, voucher_date);

CREATE TABLE voucher_line (
    federation_id bigint NOT NULL,
    voucher_id bigint NOT NULL,
    line_number smallint NOT NULL CONSTRAINT voucher_line_number_positive CHECK (line_number > 0),
    account_number int NOT NULL,
    -- Positive is debit, negative is credit.
    amount_ore bigint NOT NULL CONSTRAINT voucher_line_amount_nonzero CHECK (amount_ore <> 0),
    intervention_id bigint,
    member_id bigint,
    text text,
    PRIMARY KEY (federation_id, voucher_id, line_number),
    CONSTRAINT voucher_line_voucher_fk FOREIGN KEY (federation_id, voucher_id)
        REFERENCES voucher (federation_id, voucher_id),
    CONSTRAINT voucher_line_account_fk FOREIGN KEY (federation_id, account_number)
        REFERENCES account (federation_id, account_number),
    CONSTRAINT voucher_line_intervention_fk FOREIGN KEY (federation_id, intervention_id)
        REFERENCES intervention (federation_id, intervention_id),
    CONSTRAINT voucher_line_member_fk FOREIGN KEY (federation_id, member_id)
        REFERENCES member (federation_id, member_id)
);

CREATE INDEX voucher_line_by_account ON voucher_line (federation_id, account_number);

-- The sum of the lines per month, account, intervention and member: what reports read, so that their cost
-- does not grow with the number of lines (ARCHITECTURE.md). Maintained by a trigger on voucher_line; lines
-- are never updated or deleted, so the balance only ever grows by new lines.
CREATE TABLE ledger_month_balance (
    federation_id bigint NOT NULL,
    fiscal_year int NOT NULL,
    month smallint NOT NULL CONSTRAINT ledger_month_balance_month CHECK (month BETWEEN 1 AND 12),
    account_number int NOT NULL,
    intervention_id bigint,
    member_id bigint,
    amount_ore bigint NOT NULL,
    line_count bigint NOT NULL,
    CONSTRAINT ledger_month_balance_key UNIQUE NULLS NOT DISTINCT
        (federation_id, fiscal_year, month, account_number, intervention_id, member_id)
);

-- A locked month (month 1–12) or a whole year (month NULL). Locks are never lifted.
CREATE TABLE period_lock (
    federation_id bigint NOT NULL REFERENCES federation (federation_id),
    fiscal_year int NOT NULL,
    month smallint CONSTRAINT period_lock_month CHECK (month BETWEEN 1 AND 12),
    locked_by text NOT NULL,
    locked_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT period_lock_unique UNIQUE NULLS NOT DISTINCT (federation_id, fiscal_year, month)
);

-- Budget and full-year forecast (helårsprognos) per year and account and/or intervention (and, for revenue,
-- member). Amounts in the natural sign of the report: revenue and costs both positive.
CREATE TABLE budget_line (
    federation_id bigint NOT NULL REFERENCES federation (federation_id),
    budget_line_id bigint GENERATED ALWAYS AS IDENTITY,
    kind budget_kind NOT NULL,
    fiscal_year int NOT NULL,
    account_number int,
    intervention_id bigint,
    member_id bigint,
    amount_ore bigint NOT NULL,
    updated_by text NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (federation_id, budget_line_id),
    CONSTRAINT budget_line_key UNIQUE NULLS NOT DISTINCT
        (federation_id, kind, fiscal_year, account_number, intervention_id, member_id),
    CONSTRAINT budget_line_target CHECK (account_number IS NOT NULL OR intervention_id IS NOT NULL),
    CONSTRAINT budget_line_account_fk FOREIGN KEY (federation_id, account_number)
        REFERENCES account (federation_id, account_number),
    CONSTRAINT budget_line_intervention_fk FOREIGN KEY (federation_id, intervention_id)
        REFERENCES intervention (federation_id, intervention_id),
    CONSTRAINT budget_line_member_fk FOREIGN KEY (federation_id, member_id)
        REFERENCES member (federation_id, member_id)
);

-- Files read into a federation (SIE imports): the same file twice would book everything twice.
CREATE TABLE import_file (
    federation_id bigint NOT NULL REFERENCES federation (federation_id),
    import_file_id bigint GENERATED ALWAYS AS IDENTITY,
    kind text NOT NULL,
    file_name text NOT NULL,
    sha256 bytea NOT NULL,
    voucher_count int NOT NULL,
    imported_by text NOT NULL,
    imported_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (federation_id, import_file_id),
    CONSTRAINT import_file_unique UNIQUE (federation_id, kind, sha256)
);

-- Numbering, period locks and the fixed fields of a new voucher. SECURITY DEFINER: the counter table is not
-- writable by the application role, so numbers can only come from here.
CREATE FUNCTION finsam_voucher_before_insert() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    next_number int;
BEGIN
    NEW.fiscal_year := extract(year FROM NEW.voucher_date)::int;
    NEW.created_xact := pg_current_xact_id();
    NEW.posted_at := now();
    -- Wait for a concurrent period lock (which holds the federation row FOR UPDATE) to commit, then look.
    PERFORM 1 FROM federation WHERE federation_id = NEW.federation_id FOR KEY SHARE;
    IF EXISTS (
        SELECT 1 FROM period_lock
        WHERE federation_id = NEW.federation_id AND fiscal_year = NEW.fiscal_year
          AND (month IS NULL OR month = extract(month FROM NEW.voucher_date))
    ) THEN
        RAISE EXCEPTION 'the period of % is locked', NEW.voucher_date
            USING ERRCODE = 'FN004', TABLE = 'voucher', COLUMN = 'voucher_date';
    END IF;
    INSERT INTO voucher_series_counter AS c (federation_id, fiscal_year, series, last_number)
    VALUES (NEW.federation_id, NEW.fiscal_year, NEW.series, 1)
    ON CONFLICT (federation_id, fiscal_year, series) DO UPDATE SET last_number = c.last_number + 1
    RETURNING last_number INTO next_number;
    IF NEW.number IS NOT NULL AND NEW.number <> next_number THEN
        RAISE EXCEPTION 'voucher number % in series % of % would leave a gap or a duplicate (next is %)',
            NEW.number, NEW.series, NEW.fiscal_year, next_number
            USING ERRCODE = 'FN005', TABLE = 'voucher', COLUMN = 'number';
    END IF;
    NEW.number := next_number;
    RETURN NEW;
END
$$;

CREATE TRIGGER voucher_before_insert BEFORE INSERT ON voucher
    FOR EACH ROW EXECUTE FUNCTION finsam_voucher_before_insert();

-- A line may only join a voucher created in the same transaction: afterwards the voucher is posted.
-- Every cost line must resolve to a cost category, through its intervention or its account.
CREATE FUNCTION finsam_voucher_line_before_insert() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    IF NOT EXISTS (
        SELECT 1 FROM voucher
        WHERE federation_id = NEW.federation_id AND voucher_id = NEW.voucher_id
          AND created_xact = pg_current_xact_id()
    ) THEN
        RAISE EXCEPTION 'voucher % is posted and cannot get new lines', NEW.voucher_id
            USING ERRCODE = 'FN003', TABLE = 'voucher_line';
    END IF;
    IF NEW.account_number BETWEEN 4000 AND 7999 AND NEW.intervention_id IS NULL AND NOT EXISTS (
        SELECT 1 FROM account
        WHERE federation_id = NEW.federation_id AND account_number = NEW.account_number
          AND cost_category IS NOT NULL
    ) THEN
        RAISE EXCEPTION 'cost line on account % has neither an intervention nor an account with a cost category',
            NEW.account_number
            USING ERRCODE = 'FN007', TABLE = 'voucher_line', COLUMN = 'intervention_id';
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER voucher_line_before_insert BEFORE INSERT ON voucher_line
    FOR EACH ROW EXECUTE FUNCTION finsam_voucher_line_before_insert();

-- Balanced, with at least two lines: checked at commit, when all lines are in.
CREATE FUNCTION finsam_check_voucher_balanced() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    line_count bigint;
    total numeric;
BEGIN
    SELECT count(*), coalesce(sum(amount_ore), 0) INTO line_count, total
    FROM voucher_line WHERE federation_id = NEW.federation_id AND voucher_id = NEW.voucher_id;
    IF line_count < 2 THEN
        RAISE EXCEPTION 'voucher % has % line(s); a voucher needs at least two', NEW.voucher_id, line_count
            USING ERRCODE = 'FN002', TABLE = 'voucher';
    END IF;
    IF total <> 0 THEN
        RAISE EXCEPTION 'voucher % does not balance: its lines sum to % öre', NEW.voucher_id, total
            USING ERRCODE = 'FN001', TABLE = 'voucher_line';
    END IF;
    RETURN NULL;
END
$$;

CREATE CONSTRAINT TRIGGER voucher_balanced AFTER INSERT ON voucher
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION finsam_check_voucher_balanced();
-- Also per line: lines added after an immediate check (SET CONSTRAINTS … IMMEDIATE) are checked again.
CREATE CONSTRAINT TRIGGER voucher_line_balanced AFTER INSERT ON voucher_line
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION finsam_check_voucher_balanced();

CREATE FUNCTION finsam_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% rows cannot be changed or deleted (%)', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'FN003', TABLE = TG_TABLE_NAME;
END
$$;

CREATE TRIGGER voucher_immutable BEFORE UPDATE OR DELETE ON voucher
    FOR EACH ROW EXECUTE FUNCTION finsam_refuse_change();
CREATE TRIGGER voucher_truncate BEFORE TRUNCATE ON voucher
    FOR EACH STATEMENT EXECUTE FUNCTION finsam_refuse_change();
CREATE TRIGGER voucher_line_immutable BEFORE UPDATE OR DELETE ON voucher_line
    FOR EACH ROW EXECUTE FUNCTION finsam_refuse_change();
CREATE TRIGGER voucher_line_truncate BEFORE TRUNCATE ON voucher_line
    FOR EACH STATEMENT EXECUTE FUNCTION finsam_refuse_change();
CREATE TRIGGER period_lock_immutable BEFORE UPDATE OR DELETE ON period_lock
    FOR EACH ROW EXECUTE FUNCTION finsam_refuse_change();

-- Adds a statement's new lines to the monthly balances, one upsert per key, in key order (so that two
-- concurrent posters lock balance rows in the same order and cannot deadlock on them).
CREATE FUNCTION finsam_ledger_month_balance_add() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    INSERT INTO ledger_month_balance AS b
        (federation_id, fiscal_year, month, account_number, intervention_id, member_id, amount_ore, line_count)
    SELECT l.federation_id, v.fiscal_year, extract(month FROM v.voucher_date)::smallint, l.account_number,
           l.intervention_id, l.member_id, sum(l.amount_ore), count(*)
    FROM new_lines l JOIN voucher v ON v.federation_id = l.federation_id AND v.voucher_id = l.voucher_id
    GROUP BY 1, 2, 3, 4, 5, 6
    ORDER BY 1, 2, 3, 4, 5, 6
    ON CONFLICT ON CONSTRAINT ledger_month_balance_key DO UPDATE
        SET amount_ore = b.amount_ore + excluded.amount_ore, line_count = b.line_count + excluded.line_count;
    RETURN NULL;
END
$$;

CREATE TRIGGER voucher_line_month_balance AFTER INSERT ON voucher_line
    REFERENCING NEW TABLE AS new_lines
    FOR EACH STATEMENT EXECUTE FUNCTION finsam_ledger_month_balance_add();

-- Rebuilds the monthly balances of one federation from its lines: for a bulk load that bypassed triggers,
-- and for the nightly check that the balances agree with the lines.
CREATE FUNCTION finsam_rebuild_month_balances(federation bigint) RETURNS void
LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp AS $$
    DELETE FROM ledger_month_balance WHERE federation_id = federation;
    INSERT INTO ledger_month_balance
        (federation_id, fiscal_year, month, account_number, intervention_id, member_id, amount_ore, line_count)
    SELECT l.federation_id, v.fiscal_year, extract(month FROM v.voucher_date)::smallint, l.account_number,
           l.intervention_id, l.member_id, sum(l.amount_ore), count(*)
    FROM voucher_line l JOIN voucher v ON v.federation_id = l.federation_id AND v.voucher_id = l.voucher_id
    WHERE l.federation_id = federation
    GROUP BY 1, 2, 3, 4, 5, 6;
$$;
REVOKE ALL ON FUNCTION finsam_rebuild_month_balances(bigint) FROM PUBLIC;

-- The sum of the lines per account, intervention and member dated from_date through to_date: whole months
-- from the monthly balances, the partial months at either end from the lines (through voucher_by_date), so
-- that the cost depends on the months asked for, not on the number of lines. SECURITY INVOKER: row-level
-- security applies as to any query of the caller.
CREATE FUNCTION finsam_ledger_sums(federation bigint, from_date date, to_date date)
RETURNS TABLE (account_number int, intervention_id bigint, member_id bigint, amount_ore numeric)
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    WITH months AS (
        SELECT CASE WHEN extract(day FROM from_date) = 1 THEN from_date
                    ELSE (date_trunc('month', from_date) + interval '1 month')::date END AS full_start,
               CASE WHEN to_date = (date_trunc('month', to_date) + interval '1 month - 1 day')::date THEN to_date
                    ELSE (date_trunc('month', to_date) - interval '1 day')::date END AS full_end
    ), edges AS (
        -- Whole months full_start..full_end come from the balances; the days outside them from the lines.
        SELECT full_start, full_end, full_start <= full_end AS has_full,
               from_date AS head_from,
               CASE WHEN full_start <= full_end THEN full_start - 1 ELSE to_date END AS head_to,
               CASE WHEN full_start <= full_end THEN full_end + 1 ELSE to_date + 1 END AS tail_from,
               to_date AS tail_to
        FROM months
    )
    SELECT s.account_number, s.intervention_id, s.member_id, sum(s.amount)
    FROM (
        SELECT b.account_number, b.intervention_id, b.member_id, b.amount_ore AS amount
        FROM ledger_month_balance b, edges e
        WHERE e.has_full AND b.federation_id = federation
          AND (b.fiscal_year, b.month) >= (extract(year FROM e.full_start)::int, extract(month FROM e.full_start)::int)
          AND (b.fiscal_year, b.month) <= (extract(year FROM e.full_end)::int, extract(month FROM e.full_end)::int)
        UNION ALL
        SELECT l.account_number, l.intervention_id, l.member_id, l.amount_ore
        FROM edges e, voucher v
        JOIN voucher_line l ON l.federation_id = v.federation_id AND l.voucher_id = v.voucher_id
        WHERE v.federation_id = federation AND v.voucher_date BETWEEN e.head_from AND e.head_to
        UNION ALL
        SELECT l.account_number, l.intervention_id, l.member_id, l.amount_ore
        FROM edges e, voucher v
        JOIN voucher_line l ON l.federation_id = v.federation_id AND l.voucher_id = v.voucher_id
        WHERE v.federation_id = federation AND v.voucher_date BETWEEN e.tail_from AND e.tail_to
    ) s
    GROUP BY 1, 2, 3
$$;

ALTER TABLE account ENABLE ROW LEVEL SECURITY;
ALTER TABLE intervention ENABLE ROW LEVEL SECURITY;
ALTER TABLE voucher_series_counter ENABLE ROW LEVEL SECURITY;
ALTER TABLE voucher ENABLE ROW LEVEL SECURITY;
ALTER TABLE voucher_line ENABLE ROW LEVEL SECURITY;
ALTER TABLE ledger_month_balance ENABLE ROW LEVEL SECURITY;
ALTER TABLE period_lock ENABLE ROW LEVEL SECURITY;
ALTER TABLE budget_line ENABLE ROW LEVEL SECURITY;
ALTER TABLE import_file ENABLE ROW LEVEL SECURITY;

CREATE POLICY account_scope ON account USING (finsam_visible(federation_id));
CREATE POLICY intervention_scope ON intervention USING (finsam_visible(federation_id));
CREATE POLICY voucher_series_counter_scope ON voucher_series_counter USING (finsam_visible(federation_id));
CREATE POLICY voucher_scope ON voucher USING (finsam_visible(federation_id));
CREATE POLICY voucher_line_scope ON voucher_line USING (finsam_visible(federation_id));
CREATE POLICY ledger_month_balance_scope ON ledger_month_balance USING (finsam_visible(federation_id));
CREATE POLICY period_lock_scope ON period_lock USING (finsam_visible(federation_id));
CREATE POLICY budget_line_scope ON budget_line USING (finsam_visible(federation_id));
CREATE POLICY import_file_scope ON import_file USING (finsam_visible(federation_id));

-- Posted vouchers and locks are append-only for the application: no UPDATE or DELETE is granted.
GRANT SELECT, INSERT, UPDATE ON account, intervention TO finsam_app;
GRANT SELECT, INSERT ON voucher, voucher_line, period_lock, import_file TO finsam_app;
GRANT SELECT ON voucher_series_counter, ledger_month_balance TO finsam_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON budget_line TO finsam_app;
GRANT EXECUTE ON FUNCTION finsam_ledger_sums(bigint, date, date) TO finsam_app;
