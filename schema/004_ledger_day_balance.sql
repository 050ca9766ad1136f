-- Reports over a period that starts or ends inside a month (an interim report to the 15th, a ledger listing)
-- read the days at the edges. Until now they read those days from the lines, so their cost grew with the
-- ledger (10 000 000 lines: about 200 000 lines for half a month). The sum per day, account, intervention and
-- member is kept beside the monthly one, by the same statement-level trigger, so that every report reads
-- balances only: whole months from ledger_month_balance, the days at either end from ledger_day_balance.
--
-- The same trigger now also makes the checks that voucher_line_before_insert made row by row (a line joins
-- only a voucher of its own transaction; a cost line resolves to a cost category), once per statement over
-- all new lines: one trigger call per voucher instead of one per line. An AFTER STATEMENT trigger that raises
-- undoes the whole statement, so nothing is written either way.

CREATE TABLE ledger_day_balance (
    federation_id bigint NOT NULL,
    voucher_date date NOT NULL,
    account_number int NOT NULL,
    intervention_id bigint,
    member_id bigint,
    amount_ore bigint NOT NULL,
    line_count bigint NOT NULL,
    CONSTRAINT ledger_day_balance_key UNIQUE NULLS NOT DISTINCT
        (federation_id, voucher_date, account_number, intervention_id, member_id)
);

ALTER TABLE ledger_day_balance ENABLE ROW LEVEL SECURITY;
CREATE POLICY ledger_day_balance_scope ON ledger_day_balance USING (finsam_visible(federation_id));
GRANT SELECT ON ledger_day_balance TO finsam_app;

INSERT INTO ledger_day_balance
    (federation_id, voucher_date, account_number, intervention_id, member_id, amount_ore, line_count)
SELECT l.federation_id, v.voucher_date, l.account_number, l.intervention_id, l.member_id, sum(l.amount_ore), count(*)
FROM voucher_line l JOIN voucher v ON v.federation_id = l.federation_id AND v.voucher_id = l.voucher_id
GROUP BY 1, 2, 3, 4, 5;

DROP TRIGGER voucher_line_before_insert ON voucher_line;
DROP FUNCTION finsam_voucher_line_before_insert();

-- Checks a statement's new lines, then adds them to the monthly and daily balances, one upsert per key, in
-- key order (so that two concurrent posters lock balance rows in the same order and cannot deadlock on them).
CREATE OR REPLACE FUNCTION finsam_ledger_month_balance_add() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    offending record;
BEGIN
    SELECT l.voucher_id INTO offending
    FROM new_lines l
    WHERE NOT EXISTS (
        SELECT 1 FROM voucher v
        WHERE v.federation_id = l.federation_id AND v.voucher_id = l.voucher_id
          AND v.created_xact = pg_current_xact_id())
    LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'voucher % is posted and cannot get new lines', offending.voucher_id
            USING ERRCODE = 'FN003', TABLE = 'voucher_line';
    END IF;
    SELECT l.account_number INTO offending
    FROM new_lines l
    WHERE l.account_number BETWEEN 4000 AND 7999 AND l.intervention_id IS NULL AND NOT EXISTS (
        SELECT 1 FROM account a
        WHERE a.federation_id = l.federation_id AND a.account_number = l.account_number
          AND a.cost_category IS NOT NULL)
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

CREATE OR REPLACE FUNCTION finsam_rebuild_month_balances(federation bigint) RETURNS void
LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp AS $$
    DELETE FROM ledger_month_balance WHERE federation_id = federation;
    INSERT INTO ledger_month_balance
        (federation_id, fiscal_year, month, account_number, intervention_id, member_id, amount_ore, line_count)
    SELECT l.federation_id, v.fiscal_year, extract(month FROM v.voucher_date)::smallint, l.account_number,
           l.intervention_id, l.member_id, sum(l.amount_ore), count(*)
    FROM voucher_line l JOIN voucher v ON v.federation_id = l.federation_id AND v.voucher_id = l.voucher_id
    WHERE l.federation_id = federation
    GROUP BY 1, 2, 3, 4, 5, 6;
    DELETE FROM ledger_day_balance WHERE federation_id = federation;
    INSERT INTO ledger_day_balance
        (federation_id, voucher_date, account_number, intervention_id, member_id, amount_ore, line_count)
    SELECT l.federation_id, v.voucher_date, l.account_number, l.intervention_id, l.member_id, sum(l.amount_ore), count(*)
    FROM voucher_line l JOIN voucher v ON v.federation_id = l.federation_id AND v.voucher_id = l.voucher_id
    WHERE l.federation_id = federation
    GROUP BY 1, 2, 3, 4, 5;
$$;

-- The sum per account, intervention and member dated from_date through to_date: whole months from the
-- monthly balances, the days at either end from the daily ones. The cost depends on the period asked for,
-- never on the number of lines. SECURITY INVOKER: row-level security applies as to any query of the caller.
CREATE OR REPLACE FUNCTION finsam_ledger_sums(federation bigint, from_date date, to_date date)
RETURNS TABLE (account_number int, intervention_id bigint, member_id bigint, amount_ore numeric)
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    WITH months AS (
        SELECT CASE WHEN extract(day FROM from_date) = 1 THEN from_date
                    ELSE (date_trunc('month', from_date) + interval '1 month')::date END AS full_start,
               CASE WHEN to_date = (date_trunc('month', to_date) + interval '1 month - 1 day')::date THEN to_date
                    ELSE (date_trunc('month', to_date) - interval '1 day')::date END AS full_end
    ), edges AS (
        -- Whole months full_start..full_end come from the monthly balances; the days outside them from the
        -- daily ones.
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
        SELECT d.account_number, d.intervention_id, d.member_id, d.amount_ore
        FROM ledger_day_balance d, edges e
        WHERE d.federation_id = federation
          AND (d.voucher_date BETWEEN e.head_from AND e.head_to OR d.voucher_date BETWEEN e.tail_from AND e.tail_to)
    ) s
    GROUP BY 1, 2, 3
$$;
