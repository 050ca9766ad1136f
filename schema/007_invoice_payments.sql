-- Payments of contribution invoices registered by hand (the bank-file import comes with reconciliation).
-- A payment is booked (bank against the member's receivable) in the same transaction, and like every voucher
-- it is never changed: a wrong payment is corrected by reversing its voucher and registering the right one
-- (a later issue). An invoice's status follows from its total and the sum of its payments: open, partly paid,
-- paid or overpaid.

CREATE TABLE invoice_payment (
    federation_id bigint NOT NULL,
    payment_id bigint GENERATED ALWAYS AS IDENTITY,
    invoice_id bigint NOT NULL,
    paid_on date NOT NULL,
    amount_ore bigint NOT NULL CONSTRAINT invoice_payment_amount_positive CHECK (amount_ore > 0),
    -- What the payer or the bank gave: usually the OCR reference.
    reference text,
    voucher_id bigint NOT NULL,
    registered_by text NOT NULL CONSTRAINT invoice_payment_registered_by_present CHECK (btrim(registered_by) <> ''),
    registered_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (federation_id, payment_id),
    FOREIGN KEY (federation_id, invoice_id) REFERENCES invoice (federation_id, invoice_id),
    FOREIGN KEY (federation_id, voucher_id) REFERENCES voucher (federation_id, voucher_id),
    CONSTRAINT invoice_payment_voucher_once UNIQUE (federation_id, voucher_id)
);

CREATE INDEX invoice_payment_by_invoice ON invoice_payment (federation_id, invoice_id);

CREATE TRIGGER invoice_payment_immutable BEFORE UPDATE OR DELETE ON invoice_payment
    FOR EACH ROW EXECUTE FUNCTION finsam_refuse_change();
CREATE TRIGGER invoice_payment_truncate BEFORE TRUNCATE ON invoice_payment
    FOR EACH STATEMENT EXECUTE FUNCTION finsam_refuse_change();

ALTER TABLE invoice_payment ENABLE ROW LEVEL SECURITY;
CREATE POLICY invoice_payment_scope ON invoice_payment USING (finsam_visible(federation_id));
GRANT SELECT, INSERT ON invoice_payment TO finsam_app;
