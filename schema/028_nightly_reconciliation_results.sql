-- What each night's reconciliation found, kept per federation and night (issue 17): the start page shows a person
-- last night's result and its differences, whether the night ran in finsamd or as `finsam nightly` from cron. Only
-- the nightly job and the operator write it (a signed-in person could otherwise record that their books agree); the
-- application role reads it within its scope. A night run again replaces that night's row; earlier nights stay.

CREATE TABLE reconciliation_result (
    federation_id bigint NOT NULL REFERENCES federation (federation_id),
    run_date date NOT NULL,
    checked_at timestamptz NOT NULL DEFAULT now(),
    agrees boolean NOT NULL,
    -- The checks that did not agree (ReconciliationCheck.Kind).
    differing text[] NOT NULL DEFAULT '{}',
    -- Why the books could not be checked at all, when they could not; the report, when they could.
    failure text,
    report jsonb,
    PRIMARY KEY (federation_id, run_date),
    CONSTRAINT reconciliation_result_report_or_failure CHECK ((failure IS NULL) <> (report IS NULL)),
    CONSTRAINT reconciliation_result_agrees_with_nothing_differing
        CHECK (agrees = (cardinality(differing) = 0 AND failure IS NULL)),
    CONSTRAINT reconciliation_result_known_checks
        CHECK (differing <@ ARRAY['vouchers-balance', 'receivables', 'disbursements', 'bank-payments', 'bank-statement']),
    CONSTRAINT reconciliation_result_failure_plain CHECK (failure IS NULL OR finsam_plain_text(failure, 2000, true))
);

ALTER TABLE reconciliation_result ENABLE ROW LEVEL SECURITY;
CREATE POLICY reconciliation_result_scope ON reconciliation_result
    USING (federation_id = ANY ((SELECT finsam_scope_federations())::bigint[]));

INSERT INTO audit_table (table_name, key_columns, keeps_values, key_sql, chain_sql, digest_sql)
VALUES ('reconciliation_result', '{federation_id,run_date}', false,
    finsam_audit_key_sql('{federation_id,run_date}'), 'r.federation_id',
    finsam_audit_digest_sql('reconciliation_result', '{federation_id,run_date}'));
CREATE TRIGGER audit_insert AFTER INSERT ON reconciliation_result REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION finsam_audit_capture();
CREATE TRIGGER audit_update AFTER UPDATE ON reconciliation_result REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION finsam_audit_capture();
CREATE TRIGGER audit_delete AFTER DELETE ON reconciliation_result REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION finsam_audit_capture();

GRANT SELECT ON reconciliation_result TO finsam_app;
GRANT INSERT, UPDATE ON reconciliation_result TO finsam_nightly, finsam_operator;
