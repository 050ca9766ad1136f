-- Kreditfakturor: an issued invoice is never edited or deleted; a wrong one is credited, in full or in part,
-- by a credit note that refers to it and is booked as its own voucher (DOMAIN.md). Credit notes take their
-- numbers from the invoices' series, so that a federation's invoice numbers stay without gaps. The credits of
-- an invoice never exceed its total, which the database checks too.

CREATE TABLE credit_note (
    federation_id bigint NOT NULL,
    credit_note_id bigint GENERATED ALWAYS AS IDENTITY,
    fiscal_year int NOT NULL,
    number int NOT NULL CONSTRAINT credit_note_number_positive CHECK (number > 0),
    invoice_id bigint NOT NULL,
    issue_date date NOT NULL,
    amount_ore bigint NOT NULL CONSTRAINT credit_note_amount_positive CHECK (amount_ore > 0),
    reason text NOT NULL CONSTRAINT credit_note_reason_present CHECK (btrim(reason) <> ''),
    voucher_id bigint NOT NULL,
    issued_by text NOT NULL,
    issued_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (federation_id, credit_note_id),
    FOREIGN KEY (federation_id, invoice_id) REFERENCES invoice (federation_id, invoice_id),
    FOREIGN KEY (federation_id, voucher_id) REFERENCES voucher (federation_id, voucher_id)
);

CREATE INDEX credit_note_by_invoice ON credit_note (federation_id, invoice_id);

-- The next number of the invoices' series, and the check that the credits stay within the invoice's total
-- (the invoice row is locked, so two credit notes of one invoice are checked one after the other).
CREATE FUNCTION finsam_credit_note_before_insert() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    next_number int;
    invoice_total bigint;
    credited bigint;
BEGIN
    SELECT total_ore INTO invoice_total FROM invoice
    WHERE federation_id = NEW.federation_id AND invoice_id = NEW.invoice_id FOR SHARE;
    SELECT coalesce(sum(amount_ore), 0) INTO credited FROM credit_note
    WHERE federation_id = NEW.federation_id AND invoice_id = NEW.invoice_id;
    IF credited + NEW.amount_ore > invoice_total THEN
        RAISE EXCEPTION 'credit notes of invoice % would add up to % öre, more than its total % öre',
            NEW.invoice_id, credited + NEW.amount_ore, invoice_total
            USING ERRCODE = 'FN012', TABLE = 'credit_note';
    END IF;
    NEW.fiscal_year := extract(year FROM NEW.issue_date)::int;
    NEW.issued_at := now();
    INSERT INTO invoice_series_counter AS c (federation_id, fiscal_year, last_number)
    VALUES (NEW.federation_id, NEW.fiscal_year, 1)
    ON CONFLICT (federation_id, fiscal_year) DO UPDATE SET last_number = c.last_number + 1
    RETURNING last_number INTO next_number;
    IF NEW.number IS NOT NULL AND NEW.number <> next_number THEN
        RAISE EXCEPTION 'credit note number % of % would leave a gap or a duplicate (next is %)',
            NEW.number, NEW.fiscal_year, next_number
            USING ERRCODE = 'FN005', TABLE = 'credit_note', COLUMN = 'number';
    END IF;
    NEW.number := next_number;
    RETURN NEW;
END
$$;

CREATE TRIGGER credit_note_before_insert BEFORE INSERT ON credit_note
    FOR EACH ROW EXECUTE FUNCTION finsam_credit_note_before_insert();
CREATE TRIGGER credit_note_immutable BEFORE UPDATE OR DELETE ON credit_note
    FOR EACH ROW EXECUTE FUNCTION finsam_refuse_change();
CREATE TRIGGER credit_note_truncate BEFORE TRUNCATE ON credit_note
    FOR EACH STATEMENT EXECUTE FUNCTION finsam_refuse_change();

ALTER TABLE credit_note ENABLE ROW LEVEL SECURITY;
CREATE POLICY credit_note_scope ON credit_note USING (finsam_visible(federation_id));
GRANT SELECT, INSERT ON credit_note TO finsam_app;
