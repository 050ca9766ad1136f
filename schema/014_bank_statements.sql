-- ISO 20022 statements (camt.053) and notifications (camt.054) beside BgMax. A camt entry is named by the account
-- (IBAN) and the bank's reference of the entry, where a BgMax deposit is named by bankgiro, day and serial number:
-- a deposit row now carries one name or the other, and each is imported once. A camt payment has no Bankgirot
-- serial number or reference code.
--
-- A statement's closing balance is kept, so that reconciliation can compare the ledger's bank account with it.

ALTER TABLE bank_deposit
    ALTER COLUMN bankgiro DROP NOT NULL,
    ALTER COLUMN serial_number DROP NOT NULL,
    ADD COLUMN account text CONSTRAINT bank_deposit_account_iban CHECK (account ~ '^[A-Z]{2}[0-9]{2}[A-Z0-9]{1,30}$'),
    ADD COLUMN entry_reference text CONSTRAINT bank_deposit_entry_reference_present CHECK (btrim(entry_reference) <> ''),
    ADD CONSTRAINT bank_deposit_named_once CHECK (
        (bankgiro IS NOT NULL AND serial_number IS NOT NULL AND account IS NULL AND entry_reference IS NULL)
        OR (bankgiro IS NULL AND serial_number IS NULL AND account IS NOT NULL AND entry_reference IS NOT NULL));

CREATE UNIQUE INDEX bank_deposit_entry_once ON bank_deposit (federation_id, account, entry_reference) WHERE account IS NOT NULL;

ALTER TABLE bank_payment
    ALTER COLUMN bgc_serial DROP NOT NULL,
    ALTER COLUMN reference_code DROP NOT NULL;

CREATE TABLE bank_statement_balance (
    federation_id bigint NOT NULL REFERENCES federation (federation_id),
    account text NOT NULL CONSTRAINT bank_statement_balance_account_iban CHECK (account ~ '^[A-Z]{2}[0-9]{2}[A-Z0-9]{1,30}$'),
    statement_id text NOT NULL CONSTRAINT bank_statement_balance_statement_present CHECK (btrim(statement_id) <> ''),
    import_file_id bigint NOT NULL,
    -- The closing booked balance (CLBD) and its date.
    balance_date date NOT NULL,
    closing_ore bigint NOT NULL,
    PRIMARY KEY (federation_id, account, statement_id),
    FOREIGN KEY (federation_id, import_file_id) REFERENCES import_file (federation_id, import_file_id)
);

CREATE INDEX bank_statement_balance_by_date ON bank_statement_balance (federation_id, balance_date);

CREATE TRIGGER bank_statement_balance_immutable BEFORE UPDATE OR DELETE ON bank_statement_balance
    FOR EACH ROW EXECUTE FUNCTION finsam_refuse_change();
CREATE TRIGGER bank_statement_balance_truncate BEFORE TRUNCATE ON bank_statement_balance
    FOR EACH STATEMENT EXECUTE FUNCTION finsam_refuse_change();

ALTER TABLE bank_statement_balance ENABLE ROW LEVEL SECURITY;
CREATE POLICY bank_statement_balance_scope ON bank_statement_balance USING (finsam_visible(federation_id));
GRANT SELECT, INSERT ON bank_statement_balance TO finsam_app;
