-- Members joining or leaving during the year (DOMAIN.md, Member contributions; issue 4). A municipality is a
-- member from the first day of a month to the last day of a month; it pays for its months only, and the
-- others' shares are recomputed from the month it joins or leaves. The state and the region are members by law
-- and have no such dates.
-- A plan keeps the months each municipality was a member of that year when it was made. What was invoiced on an
-- earlier plan is settled by a settlement invoice or a settlement credit note (marked as such, so that a credit
-- note given for another reason is never invoiced again).

ALTER TABLE member ADD COLUMN member_from date
    CONSTRAINT member_from_first_day CHECK (member_from = date_trunc('month', member_from)::date);
ALTER TABLE member ADD COLUMN member_until date
    CONSTRAINT member_until_last_day CHECK (member_until = (date_trunc('month', member_until) + interval '1 month - 1 day')::date);
ALTER TABLE member ADD CONSTRAINT member_period_order CHECK (member_until >= member_from);
ALTER TABLE member ADD CONSTRAINT member_period_municipality
    CHECK (kind = 'municipality' OR (member_from IS NULL AND member_until IS NULL));

ALTER TABLE contribution_share ADD COLUMN first_month int NOT NULL DEFAULT 1;
ALTER TABLE contribution_share ADD COLUMN last_month int NOT NULL DEFAULT 12;
ALTER TABLE contribution_share ADD CONSTRAINT contribution_share_months
    CHECK (1 <= first_month AND first_month <= last_month AND last_month <= 12);

-- A settlement invoice charges what an earlier plan left out; it belongs to the installment it follows and is
-- not the installment's own invoice, so the one-invoice-per-installment rule covers the others only.
ALTER TABLE invoice ADD COLUMN settlement boolean NOT NULL DEFAULT false;
ALTER TABLE invoice DROP CONSTRAINT invoice_installment_once;
CREATE UNIQUE INDEX invoice_installment_once ON invoice (federation_id, member_id, contribution_year, installment)
    WHERE NOT settlement;

ALTER TABLE credit_note ADD COLUMN settlement boolean NOT NULL DEFAULT false;
