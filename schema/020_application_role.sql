-- 020: what the application role needs now that finsam and finsamd run every use case as finsam_app (issue 15),
-- and nothing more.

-- Serializing work on one invoice or one payment (a credit note, a payment's reversal) takes the row's lock with
-- SELECT … FOR UPDATE, which PostgreSQL allows only with the UPDATE privilege on some column. The rows stay
-- unchangeable: invoice_immutable and invoice_payment_immutable refuse every UPDATE, whoever makes it.
GRANT UPDATE (invoice_id) ON invoice TO finsam_app;
GRANT UPDATE (payment_id) ON invoice_payment TO finsam_app;

-- The daemon's health check reports the schema's version.
DO $$
BEGIN
    IF to_regclass('public.schema_migration') IS NOT NULL THEN
        GRANT SELECT ON schema_migration TO finsam_app;
    END IF;
END
$$;
