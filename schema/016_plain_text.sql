-- 016: text Finsam keeps and shows again is plain text of a sensible length (issue 13): a name with a terminal
-- escape (ESC ]0;…) retitled the window of whoever listed it, a right-to-left override made a name read backwards,
-- and a federation name of 100 000 characters and a voucher text of 5 MB were accepted. The service refuses these
-- first, naming the field (FinsamCore's PlainText, with the same limits); the database is the last line.
--
-- Not checked: what the bank wrote (payer names, references, information of bank_payment), which is kept exactly as
-- the bank gave it and escaped wherever it is shown; and the codes, numbers and actors that other CHECKs or the
-- service already restrict to ASCII.

-- No C0 or C1 control character (a line feed only where `multiline`), no bidirectional embedding, override or
-- isolate (U+202A–U+202E, U+2066–U+2069), at most `max_length` characters. NUL cannot be stored in text at all.
CREATE FUNCTION finsam_plain_text(value text, max_length int, multiline boolean DEFAULT false) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog, public, pg_temp AS $$
    SELECT value IS NULL OR (
        char_length(value) <= max_length
        AND value !~ (CASE WHEN multiline THEN '[\x01-\x09\x0B-\x1F\x7F-\x9F' ELSE '[\x01-\x1F\x7F-\x9F' END
                      || '\u202A-\u202E\u2066-\u2069]'))
$$;

DO $$
DECLARE
    c record;
BEGIN
    -- (table, column, limit in characters, lines allowed): the limits of PlainText.
    FOR c IN
        SELECT * FROM (VALUES
            ('federation', 'name', 200, false), ('federation', 'seat_municipality', 200, false),
            ('member', 'name', 200, false), ('member', 'invoice_address', 500, true), ('member', 'buyer_reference', 100, false),
            ('member_population', 'source', 100, false),
            ('app_user', 'name', 200, false),
            ('account', 'name', 200, false), ('intervention', 'name', 200, false),
            ('voucher', 'text', 500, false), ('voucher', 'source_reference', 200, false), ('voucher_line', 'text', 500, false),
            ('import_file', 'file_name', 255, false),
            ('invoice', 'buyer_reference', 100, false), ('invoice_line', 'description', 500, false),
            ('invoice_payment', 'reference', 100, false), ('invoice_payment_reversal', 'reason', 2000, true),
            ('credit_note', 'reason', 2000, true),
            ('contribution_share', 'population_source', 100, false),
            ('funding_decision', 'paragraph', 100, false),
            ('disbursement_transition', 'comment', 2000, true)
        ) AS t (table_name, column_name, max_length, multiline)
    LOOP
        EXECUTE format('ALTER TABLE %I ADD CONSTRAINT %I CHECK (finsam_plain_text(%I, %s, %L))',
            c.table_name, c.table_name || '_' || c.column_name || '_plain', c.column_name, c.max_length, c.multiline);
    END LOOP;
END
$$;

GRANT EXECUTE ON FUNCTION finsam_plain_text(text, int, boolean) TO finsam_app;
