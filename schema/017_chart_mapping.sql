-- 017: books brought over with their own chart (issue 14).
--
-- Sub-accounts. Real charts have accounts of more than four digits (143010, 797199, 11100111): a sub-account
-- belongs where its first four digits (its kontogrupp) put it. Every rule that used a range of numbers now uses
-- that group, so 743010 is a cost like 7430.
--
-- What an account means to the federation. A revenue account can carry one member's contributions ("Medlemsbidrag
-- Aneby kommun") and a cost account one intervention's costs ("SE-Höglandet"): a line on such an account counts for
-- that member or intervention in the statements when the line itself names none. This is the mapping of an imported
-- chart onto the federation, and it is kept on the account, so the next import finds it.
--
-- The accounts Finsam itself posts to (bank, receivables, disbursement costs, claims, the equity account for an
-- opening difference) are settings of the federation, so that books brought over with another chart keep working.

CREATE FUNCTION finsam_account_group(account int) RETURNS int
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT pg_catalog.left(account::text, 4)::int
$$;

ALTER TABLE account DROP CONSTRAINT account_number_range;
ALTER TABLE account ADD CONSTRAINT account_number_range CHECK (account_number BETWEEN 1000 AND 999999999);
ALTER TABLE account DROP CONSTRAINT account_member_kind_on_revenue;
ALTER TABLE account ADD CONSTRAINT account_member_kind_on_revenue
    CHECK (member_kind IS NULL OR finsam_account_group(account_number) BETWEEN 3000 AND 3999);
ALTER TABLE account DROP CONSTRAINT account_category_on_cost;
ALTER TABLE account ADD CONSTRAINT account_category_on_cost
    CHECK (cost_category IS NULL OR finsam_account_group(account_number) BETWEEN 4000 AND 7999);

ALTER TABLE account
    ADD COLUMN member_id bigint,
    ADD COLUMN intervention_id bigint,
    ADD CONSTRAINT account_member FOREIGN KEY (federation_id, member_id) REFERENCES member (federation_id, member_id),
    ADD CONSTRAINT account_intervention
        FOREIGN KEY (federation_id, intervention_id) REFERENCES intervention (federation_id, intervention_id),
    ADD CONSTRAINT account_member_on_revenue
        CHECK (member_id IS NULL OR finsam_account_group(account_number) BETWEEN 3000 AND 3999),
    ADD CONSTRAINT account_intervention_on_cost
        CHECK (intervention_id IS NULL OR finsam_account_group(account_number) BETWEEN 4000 AND 7999),
    -- An account is one thing: one member's, one member kind's, or neither; one intervention's, or a category's.
    ADD CONSTRAINT account_one_revenue_meaning CHECK (member_id IS NULL OR member_kind IS NULL),
    ADD CONSTRAINT account_one_cost_meaning CHECK (intervention_id IS NULL OR cost_category IS NULL);

-- A cost line needs an intervention: its own, its account's, or its account's cost category.
--
-- The check that lines go only to vouchers of this transaction now looks each voucher up by its key. As one query
-- over the statement's lines it was planned against the voucher table's statistics, which in a large import's
-- transaction still say the table is nearly empty: a sequential scan of the vouchers per line, 57 s for one
-- statement of 20 000 lines after 90 000 vouchers (scripts/bench-sie, BENCHMARKS.md).
CREATE OR REPLACE FUNCTION finsam_ledger_month_balance_add() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    offending record;
    voucher_key record;
BEGIN
    FOR voucher_key IN SELECT DISTINCT l.federation_id, l.voucher_id FROM new_lines l LOOP
        PERFORM 1 FROM voucher v
        WHERE v.federation_id = voucher_key.federation_id AND v.voucher_id = voucher_key.voucher_id
          AND v.created_xact = pg_current_xact_id();
        IF NOT FOUND THEN
            RAISE EXCEPTION 'voucher % is posted and cannot get new lines', voucher_key.voucher_id
                USING ERRCODE = 'FN003', TABLE = 'voucher_line';
        END IF;
    END LOOP;
    SELECT l.account_number INTO offending
    FROM new_lines l
    WHERE finsam_account_group(l.account_number) BETWEEN 4000 AND 7999 AND l.intervention_id IS NULL AND NOT EXISTS (
        SELECT 1 FROM account a
        WHERE a.federation_id = l.federation_id AND a.account_number = l.account_number
          AND (a.cost_category IS NOT NULL OR a.intervention_id IS NOT NULL))
    LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'cost line on account % has neither an intervention nor an account with a cost category',
            offending.account_number
            USING ERRCODE = 'FN007', TABLE = 'voucher_line', COLUMN = 'intervention_id';
    END IF;

    INSERT INTO ledger_month_balance AS b
        (federation_id, fiscal_year, month, account_number, intervention_id, member_id, amount_ore, line_count)
    SELECT l.federation_id, v.fiscal_year, extract(month FROM v.voucher_date)::smallint, l.account_number,
           l.intervention_id, l.member_id, sum(l.amount_ore), count(*)
    FROM new_lines l JOIN voucher v ON v.federation_id = l.federation_id AND v.voucher_id = l.voucher_id
    GROUP BY 1, 2, 3, 4, 5, 6
    ORDER BY 1, 2, 3, 4, 5, 6
    ON CONFLICT ON CONSTRAINT ledger_month_balance_key DO UPDATE
        SET amount_ore = b.amount_ore + excluded.amount_ore, line_count = b.line_count + excluded.line_count;

    INSERT INTO ledger_day_balance AS d
        (federation_id, voucher_date, account_number, intervention_id, member_id, amount_ore, line_count)
    SELECT l.federation_id, v.voucher_date, l.account_number, l.intervention_id, l.member_id, sum(l.amount_ore), count(*)
    FROM new_lines l JOIN voucher v ON v.federation_id = l.federation_id AND v.voucher_id = l.voucher_id
    GROUP BY 1, 2, 3, 4, 5
    ORDER BY 1, 2, 3, 4, 5
    ON CONFLICT ON CONSTRAINT ledger_day_balance_key DO UPDATE
        SET amount_ore = d.amount_ore + excluded.amount_ore, line_count = d.line_count + excluded.line_count;
    RETURN NULL;
END
$$;

-- Voucher numbers for many vouchers in one transaction (an import's 100 000). The counter row was updated once per
-- voucher; every update of one row in one transaction leaves a version the next update's lookup walks past, so the
-- n-th voucher cost time in proportion to n (8 s for the last 8 500 of 100 000 vouchers). Now the first voucher of a
-- series in a transaction locks the counter row and reads it, the next ones count on in a transaction-local
-- setting, and the counter is written once per statement. The statement's check makes sure the numbers it took
-- follow the counter without a gap, so a session that sets the setting itself gets a refusal, not a gap.
CREATE OR REPLACE FUNCTION finsam_voucher_before_insert() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    next_number int;
    setting text;
    last_taken int;
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
    setting := 'finsam.voucher_number_' || NEW.federation_id || '_' || NEW.fiscal_year || '_'
        || encode(convert_to(NEW.series, 'UTF8'), 'hex');
    last_taken := nullif(current_setting(setting, true), '')::int;
    IF last_taken IS NULL THEN
        INSERT INTO voucher_series_counter (federation_id, fiscal_year, series, last_number)
        VALUES (NEW.federation_id, NEW.fiscal_year, NEW.series, 0)
        ON CONFLICT (federation_id, fiscal_year, series) DO NOTHING;
        SELECT c.last_number INTO last_taken FROM voucher_series_counter c
        WHERE c.federation_id = NEW.federation_id AND c.fiscal_year = NEW.fiscal_year AND c.series = NEW.series
        FOR UPDATE;
    END IF;
    next_number := last_taken + 1;
    PERFORM set_config(setting, next_number::text, true);
    IF NEW.number IS NOT NULL AND NEW.number <> next_number THEN
        RAISE EXCEPTION 'voucher number % in series % of % would leave a gap or a duplicate (next is %)',
            NEW.number, NEW.series, NEW.fiscal_year, next_number
            USING ERRCODE = 'FN005', TABLE = 'voucher', COLUMN = 'number';
    END IF;
    NEW.number := next_number;
    RETURN NEW;
END
$$;

CREATE FUNCTION finsam_voucher_numbers_taken() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    taken record;
    stored int;
BEGIN
    FOR taken IN
        SELECT federation_id, fiscal_year, series, min(number) AS first, max(number) AS last, count(*) AS count
        FROM new_vouchers GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
    LOOP
        SELECT c.last_number INTO stored FROM voucher_series_counter c
        WHERE c.federation_id = taken.federation_id AND c.fiscal_year = taken.fiscal_year AND c.series = taken.series
        FOR UPDATE;
        IF stored IS NULL OR taken.first <> stored + 1 OR taken.last - taken.first + 1 <> taken.count THEN
            RAISE EXCEPTION 'voucher numbers %–% in series % of % do not follow % without a gap',
                taken.first, taken.last, taken.series, taken.fiscal_year, stored
                USING ERRCODE = 'FN005', TABLE = 'voucher', COLUMN = 'number';
        END IF;
        UPDATE voucher_series_counter c SET last_number = taken.last
        WHERE c.federation_id = taken.federation_id AND c.fiscal_year = taken.fiscal_year AND c.series = taken.series;
    END LOOP;
    RETURN NULL;
END
$$;

CREATE TRIGGER voucher_numbers_taken AFTER INSERT ON voucher
    REFERENCING NEW TABLE AS new_vouchers FOR EACH STATEMENT EXECUTE FUNCTION finsam_voucher_numbers_taken();

-- Balanserat resultat joins the template chart: the default account for an opening difference.
INSERT INTO account (federation_id, account_number, name)
SELECT federation_id, 2091, 'Balanserat resultat' FROM federation
ON CONFLICT (federation_id, account_number) DO NOTHING;

CREATE TYPE posting_purpose AS ENUM ('bank', 'receivables', 'disbursement-cost', 'claims', 'brought-forward');

CREATE TABLE posting_account (
    federation_id bigint NOT NULL REFERENCES federation (federation_id),
    purpose posting_purpose NOT NULL,
    account_number int NOT NULL,
    updated_by text NOT NULL CONSTRAINT posting_account_updated_by_present CHECK (btrim(updated_by) <> ''),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (federation_id, purpose),
    FOREIGN KEY (federation_id, account_number) REFERENCES account (federation_id, account_number),
    -- Each purpose in the class it belongs to: bank, receivables and claims are assets, the brought-forward
    -- result is equity, the disbursements' cost is a cost.
    CONSTRAINT posting_account_class CHECK (CASE purpose
        WHEN 'bank' THEN finsam_account_group(account_number) BETWEEN 1000 AND 1999
        WHEN 'receivables' THEN finsam_account_group(account_number) BETWEEN 1000 AND 1999
        WHEN 'claims' THEN finsam_account_group(account_number) BETWEEN 1000 AND 1999
        WHEN 'brought-forward' THEN finsam_account_group(account_number) BETWEEN 2000 AND 2099
        WHEN 'disbursement-cost' THEN finsam_account_group(account_number) BETWEEN 4000 AND 7999
    END)
);

-- Every federation has every purpose; the template's accounts are the defaults.
INSERT INTO posting_account (federation_id, purpose, account_number, updated_by)
SELECT f.federation_id, d.purpose::posting_purpose, d.account_number, 'migration 017'
FROM federation f
CROSS JOIN (VALUES ('bank', 1930), ('receivables', 1510), ('disbursement-cost', 4020), ('claims', 1790),
                   ('brought-forward', 2091)) AS d (purpose, account_number)
WHERE EXISTS (SELECT 1 FROM account a WHERE a.federation_id = f.federation_id AND a.account_number = d.account_number);

CREATE TRIGGER posting_account_no_delete BEFORE DELETE OR TRUNCATE ON posting_account
    FOR EACH STATEMENT EXECUTE FUNCTION finsam_refuse_change();

-- A settled bank payment's voucher moves the federation's bank account by exactly the payment.
CREATE OR REPLACE FUNCTION finsam_bank_payment_voucher_matches() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    expected bigint;
    on_bank bigint;
BEGIN
    IF EXISTS (SELECT 1 FROM bank_payment_allocation a
               WHERE a.federation_id = NEW.federation_id AND a.bank_payment_id = NEW.bank_payment_id) THEN
        RAISE EXCEPTION 'bank payment % already pays invoices', NEW.bank_payment_id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'bank_payment_voucher_matches';
    END IF;
    SELECT CASE kind WHEN 'deduction' THEN -amount_ore ELSE amount_ore END INTO expected
    FROM bank_payment WHERE federation_id = NEW.federation_id AND bank_payment_id = NEW.bank_payment_id;
    SELECT coalesce(sum(l.amount_ore), 0) INTO on_bank
    FROM voucher_line l
    JOIN posting_account p ON p.federation_id = l.federation_id AND p.purpose = 'bank'
                          AND p.account_number = l.account_number
    WHERE l.federation_id = NEW.federation_id AND l.voucher_id = NEW.voucher_id;
    IF on_bank <> expected THEN
        RAISE EXCEPTION 'the voucher moves the bank account by % öre, the bank payment is % öre', on_bank, expected
            USING ERRCODE = 'check_violation', CONSTRAINT = 'bank_payment_voucher_matches';
    END IF;
    RETURN NULL;
END;
$$;

ALTER TABLE posting_account ENABLE ROW LEVEL SECURITY;
CREATE POLICY posting_account_scope ON posting_account USING (finsam_visible(federation_id));
GRANT SELECT, INSERT, UPDATE ON posting_account TO finsam_app;

ALTER FUNCTION finsam_account_group(int) SET search_path = pg_catalog, public, pg_temp;
