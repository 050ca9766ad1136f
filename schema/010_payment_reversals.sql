-- A payment registered by mistake (wrong invoice, wrong amount) is reversed, never changed or deleted: its voucher
-- is reversed by a new voucher in the same transaction, and the reversal is recorded here, once per payment.
-- The invoice's paid amount counts payments less their reversals, each from its own date.

CREATE TABLE invoice_payment_reversal (
    federation_id bigint NOT NULL,
    payment_id bigint NOT NULL,
    reversed_on date NOT NULL,
    reason text NOT NULL CONSTRAINT invoice_payment_reversal_reason_present CHECK (btrim(reason) <> ''),
    voucher_id bigint NOT NULL,
    reversed_by text NOT NULL CONSTRAINT invoice_payment_reversal_by_present CHECK (btrim(reversed_by) <> ''),
    reversed_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (federation_id, payment_id),
    FOREIGN KEY (federation_id, payment_id) REFERENCES invoice_payment (federation_id, payment_id),
    FOREIGN KEY (federation_id, voucher_id) REFERENCES voucher (federation_id, voucher_id)
);

CREATE TRIGGER invoice_payment_reversal_immutable BEFORE UPDATE OR DELETE ON invoice_payment_reversal
    FOR EACH ROW EXECUTE FUNCTION finsam_refuse_change();
CREATE TRIGGER invoice_payment_reversal_truncate BEFORE TRUNCATE ON invoice_payment_reversal
    FOR EACH STATEMENT EXECUTE FUNCTION finsam_refuse_change();

ALTER TABLE invoice_payment_reversal ENABLE ROW LEVEL SECURITY;
CREATE POLICY invoice_payment_reversal_scope ON invoice_payment_reversal USING (finsam_visible(federation_id));
GRANT SELECT, INSERT ON invoice_payment_reversal TO finsam_app;
