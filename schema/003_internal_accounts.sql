-- Class 9 (interna konton): the internal and suspense accounts other programs keep, e.g. BL Administration's
-- 9999 "Obs-konto", which can carry a balance at year end. An office migrating its books must bring them over
-- as they are, or the ledger would not agree with the old program's own closing figures. They are result
-- accounts (they start each year at zero, like classes 3–8) with no cost category; the income statement shows
-- their net on a line of its own.
ALTER TABLE account DROP CONSTRAINT account_number_range;
ALTER TABLE account ADD CONSTRAINT account_number_range CHECK (account_number BETWEEN 1000 AND 9999);
