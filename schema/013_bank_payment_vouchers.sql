-- Not every bank payment pays an invoice: a deduction the payer made for a credit note, a refund from a supplier,
-- interest, money paid in by mistake. Such a payment is settled by a voucher the economist posts (bank 1930
-- against whatever account it belongs to), and linked to it here, once. The voucher's lines on the bank account
-- must equal the payment as it reached the bank (a deduction negative), so that the bank files and the ledger agree.

CREATE TABLE bank_payment_voucher (
    federation_id bigint NOT NULL,
    bank_payment_id bigint NOT NULL,
    voucher_id bigint NOT NULL,
    settled_by text NOT NULL CONSTRAINT bank_payment_voucher_settled_by_present CHECK (btrim(settled_by) <> ''),
    settled_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (federation_id, bank_payment_id),
    CONSTRAINT bank_payment_voucher_once UNIQUE (federation_id, voucher_id),
    FOREIGN KEY (federation_id, bank_payment_id) REFERENCES bank_payment (federation_id, bank_payment_id),
    FOREIGN KEY (federation_id, voucher_id) REFERENCES voucher (federation_id, voucher_id)
);

-- A settled bank payment has no invoice payments, and its voucher moves the bank account by exactly its amount.
CREATE FUNCTION finsam_bank_payment_voucher_matches() RETURNS trigger
LANGUAGE plpgsql AS $$
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
    SELECT coalesce(sum(amount_ore), 0) INTO on_bank
    FROM voucher_line WHERE federation_id = NEW.federation_id AND voucher_id = NEW.voucher_id AND account_number = 1930;
    IF on_bank <> expected THEN
        RAISE EXCEPTION 'the voucher moves the bank account by % öre, the bank payment is % öre', on_bank, expected
            USING ERRCODE = 'check_violation', CONSTRAINT = 'bank_payment_voucher_matches';
    END IF;
    RETURN NULL;
END;
$$;

CREATE CONSTRAINT TRIGGER bank_payment_voucher_matches AFTER INSERT ON bank_payment_voucher
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION finsam_bank_payment_voucher_matches();
CREATE TRIGGER bank_payment_voucher_immutable BEFORE UPDATE OR DELETE ON bank_payment_voucher
    FOR EACH ROW EXECUTE FUNCTION finsam_refuse_change();
CREATE TRIGGER bank_payment_voucher_truncate BEFORE TRUNCATE ON bank_payment_voucher
    FOR EACH STATEMENT EXECUTE FUNCTION finsam_refuse_change();

ALTER TABLE bank_payment_voucher ENABLE ROW LEVEL SECURITY;
CREATE POLICY bank_payment_voucher_scope ON bank_payment_voucher USING (finsam_visible(federation_id));
GRANT SELECT, INSERT ON bank_payment_voucher TO finsam_app;
