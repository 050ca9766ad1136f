-- Medlemsbidrag: each year's contribution total of a federation and its split between the members
-- (DOMAIN.md, Member contributions). The plan keeps the parties' shares (by law 50/25/25), how the
-- municipalities divide theirs (by population at a reference date, or by a key agreed in the charter), and per
-- member the basis used (its population and where the figure came from, or its agreed share) and the amount.
-- Amounts are whole kronor, kept in öre like every amount; the members' amounts add up to the total exactly,
-- which the database checks at commit.

CREATE TYPE contribution_party AS ENUM ('state', 'region', 'municipality');
CREATE TYPE contribution_basis AS ENUM ('population', 'key');

CREATE TABLE contribution_plan (
    federation_id bigint NOT NULL REFERENCES federation (federation_id),
    fiscal_year int NOT NULL CONSTRAINT contribution_plan_year_range CHECK (fiscal_year BETWEEN 2004 AND 2200),
    total_ore bigint NOT NULL
        CONSTRAINT contribution_plan_total_whole_kronor CHECK (total_ore > 0 AND total_ore % 100 = 0),
    -- The parties' shares in hundredths of a percent.
    state_share int NOT NULL,
    region_share int NOT NULL,
    municipality_share int NOT NULL,
    region_basis contribution_basis NOT NULL,
    municipality_basis contribution_basis NOT NULL,
    -- The date of the population figures, when the municipalities split by population.
    reference_date date,
    decided_by text NOT NULL CONSTRAINT contribution_plan_decided_by_present CHECK (btrim(decided_by) <> ''),
    decided_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (federation_id, fiscal_year),
    CONSTRAINT contribution_plan_shares_hundred CHECK (
        state_share >= 0 AND region_share >= 0 AND municipality_share >= 0
        AND state_share + region_share + municipality_share = 10000),
    CONSTRAINT contribution_plan_reference_date CHECK ((municipality_basis = 'population') = (reference_date IS NOT NULL))
);

CREATE TABLE contribution_share (
    federation_id bigint NOT NULL,
    fiscal_year int NOT NULL,
    member_id bigint NOT NULL,
    party contribution_party NOT NULL,
    -- A population (basis population) or a share in hundredths of a percent (basis key).
    weight bigint NOT NULL CONSTRAINT contribution_share_weight_nonnegative CHECK (weight >= 0),
    population_reference_date date,
    population_source text,
    amount_ore bigint NOT NULL
        CONSTRAINT contribution_share_whole_kronor CHECK (amount_ore >= 0 AND amount_ore % 100 = 0),
    PRIMARY KEY (federation_id, fiscal_year, member_id),
    FOREIGN KEY (federation_id, fiscal_year) REFERENCES contribution_plan (federation_id, fiscal_year) ON DELETE CASCADE,
    FOREIGN KEY (federation_id, member_id) REFERENCES member (federation_id, member_id)
);

-- At commit: the members' amounts of a plan add up to its total.
CREATE FUNCTION finsam_check_contribution_plan_total() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    plan_total bigint;
    shares_total bigint;
    federation bigint;
    year int;
BEGIN
    IF TG_OP = 'DELETE' THEN
        federation := OLD.federation_id;
        year := OLD.fiscal_year;
    ELSE
        federation := NEW.federation_id;
        year := NEW.fiscal_year;
    END IF;
    SELECT total_ore INTO plan_total FROM contribution_plan
    WHERE federation_id = federation AND fiscal_year = year;
    IF NOT FOUND THEN
        RETURN NULL;  -- the plan was replaced or removed in this transaction
    END IF;
    SELECT coalesce(sum(amount_ore), 0) INTO shares_total FROM contribution_share
    WHERE federation_id = federation AND fiscal_year = year;
    IF shares_total <> plan_total THEN
        RAISE EXCEPTION 'the contributions of % add up to % öre, not to the plan''s total % öre',
            year, shares_total, plan_total
            USING ERRCODE = 'FN010', TABLE = 'contribution_share';
    END IF;
    RETURN NULL;
END
$$;

CREATE CONSTRAINT TRIGGER contribution_plan_total AFTER INSERT OR UPDATE ON contribution_plan
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION finsam_check_contribution_plan_total();
CREATE CONSTRAINT TRIGGER contribution_share_total AFTER INSERT OR UPDATE OR DELETE ON contribution_share
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION finsam_check_contribution_plan_total();

ALTER TABLE contribution_plan ENABLE ROW LEVEL SECURITY;
ALTER TABLE contribution_share ENABLE ROW LEVEL SECURITY;
CREATE POLICY contribution_plan_scope ON contribution_plan USING (finsam_visible(federation_id));
CREATE POLICY contribution_share_scope ON contribution_share USING (finsam_visible(federation_id));

-- A plan may be replaced until the year is invoiced (invoicing comes with its own tables and guards).
GRANT SELECT, INSERT, UPDATE, DELETE ON contribution_plan, contribution_share TO finsam_app;
