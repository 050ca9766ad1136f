-- A paid batch keeps the pain.001 file it was paid with (issue 16, found by schemathesis). Until now the file was
-- written again from the accounts on record whenever it was asked for: after a member's payout account was changed
-- or removed, the "same" file named another account, or could not be written at all (400 on
-- GET …/disbursement-batches/{n}/pain001). What the bank was sent is a record: it is stored, once, in the
-- transaction that pays the batch, and like the batch it is never changed or removed. A batch paid before this
-- migration (or without a file) has none; its file is written from the accounts on record, as before.

CREATE TABLE disbursement_batch_file (
    federation_id bigint NOT NULL,
    batch_number int NOT NULL,
    pain001 text NOT NULL,
    PRIMARY KEY (federation_id, batch_number),
    FOREIGN KEY (federation_id, batch_number) REFERENCES disbursement_batch (federation_id, batch_number)
);

CREATE TRIGGER disbursement_batch_file_immutable BEFORE UPDATE OR DELETE ON disbursement_batch_file
    FOR EACH ROW EXECUTE FUNCTION finsam_refuse_change();
CREATE TRIGGER disbursement_batch_file_truncate BEFORE TRUNCATE ON disbursement_batch_file
    FOR EACH STATEMENT EXECUTE FUNCTION finsam_refuse_change();

ALTER TABLE disbursement_batch_file ENABLE ROW LEVEL SECURITY;
CREATE POLICY disbursement_batch_file_scope ON disbursement_batch_file
    USING (federation_id = ANY ((SELECT finsam_scope_federations())::bigint[]));

INSERT INTO audit_table (table_name, key_columns, keeps_values, key_sql, chain_sql, digest_sql)
VALUES ('disbursement_batch_file', '{federation_id,batch_number}', false,
    finsam_audit_key_sql('{federation_id,batch_number}'), 'r.federation_id',
    finsam_audit_digest_sql('disbursement_batch_file', '{federation_id,batch_number}'));
CREATE TRIGGER audit_insert AFTER INSERT ON disbursement_batch_file REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION finsam_audit_capture();
CREATE TRIGGER audit_update AFTER UPDATE ON disbursement_batch_file REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION finsam_audit_capture();
CREATE TRIGGER audit_delete AFTER DELETE ON disbursement_batch_file REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION finsam_audit_capture();

GRANT SELECT, INSERT ON disbursement_batch_file TO finsam_app;
