-- Contribution invoices (DOMAIN.md, Member contributions): each member is invoiced its part of the year's plan
-- on its own schedule (yearly, per half-year, per quarter). An invoice has a number without gaps per federation
-- and year, an OCR reference (Bankgirot: length and Luhn check digits) unique within the federation, and is
-- never changed or deleted once issued. One installment of one member's contribution is invoiced at most once,
-- which makes an invoice run safe to repeat.

CREATE TYPE invoice_schedule AS ENUM ('yearly', 'half-yearly', 'quarterly');

ALTER TABLE member ADD COLUMN invoice_schedule invoice_schedule NOT NULL DEFAULT 'yearly';
ALTER TABLE federation ADD COLUMN invoice_due_days int NOT NULL DEFAULT 30
    CONSTRAINT federation_invoice_due_days_range CHECK (invoice_due_days BETWEEN 0 AND 365);
ALTER TABLE federation ADD COLUMN bankgiro text
    CONSTRAINT federation_bankgiro_format CHECK (bankgiro ~ '^[0-9]{3,4}-[0-9]{4}$');

CREATE TABLE invoice_series_counter (
    federation_id bigint NOT NULL REFERENCES federation (federation_id),
    fiscal_year int NOT NULL,
    last_number int NOT NULL,
    PRIMARY KEY (federation_id, fiscal_year)
);

CREATE TABLE invoice (
    federation_id bigint NOT NULL REFERENCES federation (federation_id),
    invoice_id bigint GENERATED ALWAYS AS IDENTITY,
    fiscal_year int NOT NULL,
    number int NOT NULL CONSTRAINT invoice_number_positive CHECK (number > 0),
    member_id bigint NOT NULL,
    -- Which part of which year's contribution: installment 1..installments of the member's schedule.
    contribution_year int NOT NULL,
    installment int NOT NULL,
    installments int NOT NULL CONSTRAINT invoice_installments CHECK (installments IN (1, 2, 4)),
    issue_date date NOT NULL,
    due_date date NOT NULL,
    buyer_reference text,
    ocr text NOT NULL CONSTRAINT invoice_ocr_format CHECK (ocr ~ '^[0-9]{2,25}$'),
    total_ore bigint NOT NULL CONSTRAINT invoice_total_positive CHECK (total_ore > 0),
    voucher_id bigint NOT NULL,
    issued_by text NOT NULL,
    issued_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (federation_id, invoice_id),
    CONSTRAINT invoice_number_unique UNIQUE (federation_id, fiscal_year, number),
    CONSTRAINT invoice_ocr_unique UNIQUE (federation_id, ocr),
    CONSTRAINT invoice_installment_once UNIQUE (federation_id, member_id, contribution_year, installment),
    CONSTRAINT invoice_installment_range CHECK (installment BETWEEN 1 AND installments),
    CONSTRAINT invoice_due_after_issue CHECK (due_date >= issue_date),
    FOREIGN KEY (federation_id, member_id) REFERENCES member (federation_id, member_id),
    FOREIGN KEY (federation_id, voucher_id) REFERENCES voucher (federation_id, voucher_id)
);

CREATE TABLE invoice_line (
    federation_id bigint NOT NULL,
    invoice_id bigint NOT NULL,
    line_number smallint NOT NULL CONSTRAINT invoice_line_number_positive CHECK (line_number > 0),
    description text NOT NULL CONSTRAINT invoice_line_description_present CHECK (btrim(description) <> ''),
    account_number int NOT NULL,
    amount_ore bigint NOT NULL CONSTRAINT invoice_line_amount_positive CHECK (amount_ore > 0),
    PRIMARY KEY (federation_id, invoice_id, line_number),
    FOREIGN KEY (federation_id, invoice_id) REFERENCES invoice (federation_id, invoice_id),
    FOREIGN KEY (federation_id, account_number) REFERENCES account (federation_id, account_number)
);

-- Numbers without gaps: the next number of the federation's year, taken under the counter row's lock.
CREATE FUNCTION finsam_invoice_before_insert() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    next_number int;
BEGIN
    NEW.fiscal_year := extract(year FROM NEW.issue_date)::int;
    NEW.issued_at := now();
    INSERT INTO invoice_series_counter AS c (federation_id, fiscal_year, last_number)
    VALUES (NEW.federation_id, NEW.fiscal_year, 1)
    ON CONFLICT (federation_id, fiscal_year) DO UPDATE SET last_number = c.last_number + 1
    RETURNING last_number INTO next_number;
    IF NEW.number IS NOT NULL AND NEW.number <> next_number THEN
        RAISE EXCEPTION 'invoice number % of % would leave a gap or a duplicate (next is %)',
            NEW.number, NEW.fiscal_year, next_number
            USING ERRCODE = 'FN005', TABLE = 'invoice', COLUMN = 'number';
    END IF;
    NEW.number := next_number;
    RETURN NEW;
END
$$;

CREATE TRIGGER invoice_before_insert BEFORE INSERT ON invoice
    FOR EACH ROW EXECUTE FUNCTION finsam_invoice_before_insert();
CREATE TRIGGER invoice_immutable BEFORE UPDATE OR DELETE ON invoice
    FOR EACH ROW EXECUTE FUNCTION finsam_refuse_change();
CREATE TRIGGER invoice_truncate BEFORE TRUNCATE ON invoice
    FOR EACH STATEMENT EXECUTE FUNCTION finsam_refuse_change();
CREATE TRIGGER invoice_line_immutable BEFORE UPDATE OR DELETE ON invoice_line
    FOR EACH ROW EXECUTE FUNCTION finsam_refuse_change();
CREATE TRIGGER invoice_line_truncate BEFORE TRUNCATE ON invoice_line
    FOR EACH STATEMENT EXECUTE FUNCTION finsam_refuse_change();

-- At commit: an invoice's lines add up to its total.
CREATE FUNCTION finsam_check_invoice_total() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    lines_total bigint;
BEGIN
    SELECT coalesce(sum(amount_ore), 0) INTO lines_total FROM invoice_line
    WHERE federation_id = NEW.federation_id AND invoice_id = NEW.invoice_id;
    IF lines_total <> NEW.total_ore THEN
        RAISE EXCEPTION 'invoice % lines add up to % öre, not to its total % öre', NEW.invoice_id, lines_total, NEW.total_ore
            USING ERRCODE = 'FN011', TABLE = 'invoice';
    END IF;
    RETURN NULL;
END
$$;
CREATE CONSTRAINT TRIGGER invoice_total AFTER INSERT ON invoice
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION finsam_check_invoice_total();

ALTER TABLE invoice_series_counter ENABLE ROW LEVEL SECURITY;
ALTER TABLE invoice ENABLE ROW LEVEL SECURITY;
ALTER TABLE invoice_line ENABLE ROW LEVEL SECURITY;
CREATE POLICY invoice_series_counter_scope ON invoice_series_counter USING (finsam_visible(federation_id));
CREATE POLICY invoice_scope ON invoice USING (finsam_visible(federation_id));
CREATE POLICY invoice_line_scope ON invoice_line USING (finsam_visible(federation_id));

GRANT SELECT ON invoice_series_counter TO finsam_app;
GRANT SELECT, INSERT ON invoice, invoice_line TO finsam_app;
