-- Incoming payments read from the bank's files (Bankgirot's BgMax). Each deposit and each payment is kept as the
-- bank gave it, once: a deposit is named by its bankgiro, its day and Bankgirot's serial number, so a file that
-- carries a deposit again (or the same file read twice) imports nothing twice. The file itself is recorded in
-- import_file (kind 'bgmax') with its hash.
--
-- A payment that found its invoice (by OCR reference, or by amount and payer) is booked like a payment registered
-- by hand, bank against the member's receivable, and linked to that invoice payment here; one that did not waits,
-- listed, until someone says which invoice it pays. The links of one bank payment add up to its amount exactly.

CREATE TABLE bank_deposit (
    federation_id bigint NOT NULL REFERENCES federation (federation_id),
    bank_deposit_id bigint GENERATED ALWAYS AS IDENTITY,
    import_file_id bigint NOT NULL,
    bankgiro text NOT NULL CONSTRAINT bank_deposit_bankgiro_digits CHECK (bankgiro ~ '^[0-9]{7,8}$'),
    payment_date date NOT NULL,
    serial_number int NOT NULL CONSTRAINT bank_deposit_serial_not_negative CHECK (serial_number >= 0),
    amount_ore bigint NOT NULL,
    currency text NOT NULL CONSTRAINT bank_deposit_in_kronor CHECK (currency = 'SEK'),
    PRIMARY KEY (federation_id, bank_deposit_id),
    CONSTRAINT bank_deposit_once UNIQUE (federation_id, bankgiro, payment_date, serial_number),
    FOREIGN KEY (federation_id, import_file_id) REFERENCES import_file (federation_id, import_file_id)
);

CREATE TABLE bank_payment (
    federation_id bigint NOT NULL,
    bank_payment_id bigint GENERATED ALWAYS AS IDENTITY,
    bank_deposit_id bigint NOT NULL,
    -- The payment's place in its deposit, from 1.
    position int NOT NULL CONSTRAINT bank_payment_position_positive CHECK (position >= 1),
    -- A deduction is an amount the payer took off (usually a credit note); it lowers the deposit.
    kind text NOT NULL CONSTRAINT bank_payment_kind_known CHECK (kind IN ('payment', 'deduction')),
    amount_ore bigint NOT NULL CONSTRAINT bank_payment_amount_positive CHECK (amount_ore > 0),
    paid_on date NOT NULL,
    reference text,
    extra_references text[] NOT NULL DEFAULT '{}',
    -- Bankgirot's reference code: 0 blank, 1 none given, 2 OCR checked, 3 several, 4 unchecked, 5 faulty.
    reference_code smallint NOT NULL CONSTRAINT bank_payment_reference_code_known CHECK (reference_code BETWEEN 0 AND 5),
    bgc_serial text NOT NULL CONSTRAINT bank_payment_bgc_serial_digits CHECK (bgc_serial ~ '^[0-9]{12}$'),
    sender_bankgiro text,
    payer_name text,
    payer_orgnr text,
    information text[] NOT NULL DEFAULT '{}',
    -- Why the import could not say which invoice it pays; null when it could.
    unmatched_reason text,
    source_line int NOT NULL,
    PRIMARY KEY (federation_id, bank_payment_id),
    CONSTRAINT bank_payment_place_once UNIQUE (federation_id, bank_deposit_id, position),
    FOREIGN KEY (federation_id, bank_deposit_id) REFERENCES bank_deposit (federation_id, bank_deposit_id)
);

CREATE TABLE bank_payment_allocation (
    federation_id bigint NOT NULL,
    bank_payment_id bigint NOT NULL,
    -- The invoice payment (and through it the voucher) this part of the bank payment became.
    payment_id bigint NOT NULL,
    matched_by text NOT NULL CONSTRAINT bank_payment_allocation_matched_by_known
        CHECK (matched_by IN ('ocr', 'amount-and-payer', 'hand')),
    matched_by_user text NOT NULL CONSTRAINT bank_payment_allocation_user_present CHECK (btrim(matched_by_user) <> ''),
    matched_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (federation_id, payment_id),
    FOREIGN KEY (federation_id, bank_payment_id) REFERENCES bank_payment (federation_id, bank_payment_id),
    FOREIGN KEY (federation_id, payment_id) REFERENCES invoice_payment (federation_id, payment_id)
);

CREATE INDEX bank_payment_allocation_by_bank_payment ON bank_payment_allocation (federation_id, bank_payment_id);

-- At commit, the invoice payments linked to a bank payment add up to its amount exactly: a bank payment is
-- either not allocated at all or allocated whole, never in part and never more than once.
CREATE FUNCTION finsam_bank_payment_allocated_whole() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    expected bigint;
    allocated bigint;
BEGIN
    SELECT b.amount_ore, coalesce(sum(p.amount_ore), 0)
    INTO expected, allocated
    FROM bank_payment b
    LEFT JOIN bank_payment_allocation a ON a.federation_id = b.federation_id AND a.bank_payment_id = b.bank_payment_id
    LEFT JOIN invoice_payment p ON p.federation_id = a.federation_id AND p.payment_id = a.payment_id
    WHERE b.federation_id = NEW.federation_id AND b.bank_payment_id = NEW.bank_payment_id
    GROUP BY b.amount_ore;
    IF allocated <> expected THEN
        RAISE EXCEPTION 'bank payment % is allocated % öre of its % öre', NEW.bank_payment_id, allocated, expected
            USING ERRCODE = 'check_violation', CONSTRAINT = 'bank_payment_allocated_whole';
    END IF;
    RETURN NULL;
END;
$$;

CREATE CONSTRAINT TRIGGER bank_payment_allocated_whole AFTER INSERT ON bank_payment_allocation
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION finsam_bank_payment_allocated_whole();

-- A bank payment that was allocated is no longer waiting: its reason is cleared, and that is the only change
-- a bank payment allows.
CREATE FUNCTION finsam_bank_payment_only_matched() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.unmatched_reason IS NULL AND OLD.unmatched_reason IS NOT NULL
       AND (NEW.federation_id, NEW.bank_payment_id, NEW.bank_deposit_id, NEW.position, NEW.kind, NEW.amount_ore,
            NEW.paid_on, NEW.reference, NEW.extra_references, NEW.reference_code, NEW.bgc_serial, NEW.sender_bankgiro,
            NEW.payer_name, NEW.payer_orgnr, NEW.information, NEW.source_line)
           IS NOT DISTINCT FROM
           (OLD.federation_id, OLD.bank_payment_id, OLD.bank_deposit_id, OLD.position, OLD.kind, OLD.amount_ore,
            OLD.paid_on, OLD.reference, OLD.extra_references, OLD.reference_code, OLD.bgc_serial, OLD.sender_bankgiro,
            OLD.payer_name, OLD.payer_orgnr, OLD.information, OLD.source_line)
    THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'a bank payment is kept as the bank gave it; only its unmatched reason is cleared when it is matched'
        USING ERRCODE = 'FN003', TABLE = TG_TABLE_NAME;
END;
$$;

CREATE TRIGGER bank_payment_only_matched BEFORE UPDATE OR DELETE ON bank_payment
    FOR EACH ROW EXECUTE FUNCTION finsam_bank_payment_only_matched();
CREATE TRIGGER bank_payment_truncate BEFORE TRUNCATE ON bank_payment
    FOR EACH STATEMENT EXECUTE FUNCTION finsam_refuse_change();
CREATE TRIGGER bank_deposit_immutable BEFORE UPDATE OR DELETE ON bank_deposit
    FOR EACH ROW EXECUTE FUNCTION finsam_refuse_change();
CREATE TRIGGER bank_deposit_truncate BEFORE TRUNCATE ON bank_deposit
    FOR EACH STATEMENT EXECUTE FUNCTION finsam_refuse_change();
CREATE TRIGGER bank_payment_allocation_immutable BEFORE UPDATE OR DELETE ON bank_payment_allocation
    FOR EACH ROW EXECUTE FUNCTION finsam_refuse_change();
CREATE TRIGGER bank_payment_allocation_truncate BEFORE TRUNCATE ON bank_payment_allocation
    FOR EACH STATEMENT EXECUTE FUNCTION finsam_refuse_change();

ALTER TABLE bank_deposit ENABLE ROW LEVEL SECURITY;
ALTER TABLE bank_payment ENABLE ROW LEVEL SECURITY;
ALTER TABLE bank_payment_allocation ENABLE ROW LEVEL SECURITY;
CREATE POLICY bank_deposit_scope ON bank_deposit USING (finsam_visible(federation_id));
CREATE POLICY bank_payment_scope ON bank_payment USING (finsam_visible(federation_id));
CREATE POLICY bank_payment_allocation_scope ON bank_payment_allocation USING (finsam_visible(federation_id));
GRANT SELECT, INSERT ON bank_deposit, bank_payment_allocation TO finsam_app;
GRANT SELECT, INSERT, UPDATE (unmatched_reason) ON bank_payment TO finsam_app;
