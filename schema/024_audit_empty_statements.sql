-- A statement that writes no row leaves nothing to seal (issue 16, found by the API's rights matrix). The audit
-- triggers of schema/019 run once per statement, and finsam_audit_capture marked the transaction as holding unsealed
-- changes even when the statement's transition tables were empty: granting a role the person already holds
-- (INSERT … ON CONFLICT DO NOTHING), or an UPDATE that matches no row. The service then found nothing pending and did
-- not seal, and the commit failed with FN040 ("ändringarna har ingen post i granskningsloggen"). Now the transaction
-- is marked only when the statement noted at least one row; a row noted by an earlier statement of the same
-- transaction has marked it already. What is recorded for a statement that writes rows is unchanged.

CREATE OR REPLACE FUNCTION finsam_audit_capture() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, public, pg_temp SET "TimeZone" = 'UTC' SET "DateStyle" = 'ISO, YMD' SET "IntervalStyle" = 'postgres'
AS $$
DECLARE
    spec audit_table;
    noted bigint := 0;
    count bigint;
BEGIN
    SELECT * INTO STRICT spec FROM audit_table WHERE table_name = TG_TABLE_NAME;
    -- The row before the transaction's first change of it: an update's or a delete's old row, noted first, so that a
    -- row the transaction inserts has no before.
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        EXECUTE format(
            'INSERT INTO audit_change (transaction_id, chain, table_name, row_key, before) '
            'SELECT DISTINCT ON (2, 4) pg_current_xact_id(), %s, %L, %s, %s FROM old_rows r ON CONFLICT DO NOTHING',
            spec.chain_sql, TG_TABLE_NAME, spec.key_sql, CASE WHEN spec.keeps_values THEN 'to_jsonb(r)' ELSE 'NULL::jsonb' END);
        GET DIAGNOSTICS count = ROW_COUNT;
        noted := noted + count;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        EXECUTE format(
            'INSERT INTO audit_change (transaction_id, chain, table_name, row_key) '
            'SELECT DISTINCT pg_current_xact_id(), %s, %L, %s FROM new_rows r ON CONFLICT DO NOTHING',
            spec.chain_sql, TG_TABLE_NAME, spec.key_sql);
        GET DIAGNOSTICS count = ROW_COUNT;
        noted := noted + count;
    END IF;
    IF noted > 0 THEN
        INSERT INTO audit_open (transaction_id) VALUES (pg_current_xact_id()) ON CONFLICT DO NOTHING;
    END IF;
    RETURN NULL;
END
$$;
