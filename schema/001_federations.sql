-- 001: federations (samordningsförbund), their members and the members' population figures.
--
-- Tenant-first keys: every table of federation data has federation_id first in its primary key and in every
-- foreign key, so one federation's rows sit together and a distributed PostgreSQL could shard by it unchanged.
-- Row-level security: the application role sees only the federations its transaction was scoped to
-- (SET LOCAL finsam.federations = '{1,3}'); a bug in one route cannot show another federation's rows.

-- The application role: what the daemon logs in as. No superuser, no BYPASSRLS: row-level security binds it.
-- Roles are cluster-wide, so another database of the same cluster may have created it already.
DO $$
BEGIN
    CREATE ROLE finsam_app LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS NOREPLICATION;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
    NULL;
END
$$;

GRANT USAGE ON SCHEMA public TO finsam_app;

-- The federations a transaction may see: SET LOCAL finsam.federations = '{…}' (bigint[] text), or
-- finsam.all_federations = 'on' for the economy office's cross-federation work. Unset means none.
CREATE FUNCTION finsam_visible(federation bigint) RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT coalesce(current_setting('finsam.all_federations', true), '') = 'on'
        OR federation = ANY (coalesce(nullif(current_setting('finsam.federations', true), ''), '{}')::bigint[])
$$;

-- A Swedish organisationsnummer: NNNNNN-NNNN whose ten digits pass the Luhn (mod 10) check.
CREATE FUNCTION finsam_orgnr_valid(orgnr text) RETURNS boolean
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
    digits text := replace(orgnr, '-', '');
    total int := 0;
    d int;
BEGIN
    IF orgnr !~ '^[0-9]{6}-[0-9]{4}$' THEN
        RETURN false;
    END IF;
    FOR i IN 1..10 LOOP
        d := substr(digits, i, 1)::int;
        IF i % 2 = 1 THEN
            d := d * 2;
            IF d > 9 THEN d := d - 9; END IF;
        END IF;
        total := total + d;
    END LOOP;
    RETURN total % 10 = 0;
END
$$;

CREATE TABLE federation (
    federation_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code text NOT NULL CONSTRAINT federation_code_unique UNIQUE
        CONSTRAINT federation_code_format CHECK (code ~ '^[a-z0-9][a-z0-9-]{1,39}$'),
    name text NOT NULL CONSTRAINT federation_name_present CHECK (btrim(name) <> ''),
    orgnr text NOT NULL CONSTRAINT federation_orgnr_unique UNIQUE
        CONSTRAINT federation_orgnr_valid CHECK (finsam_orgnr_valid(orgnr)),
    seat_municipality text,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TYPE member_kind AS ENUM ('fk', 'af', 'region', 'municipality');

CREATE TABLE member (
    federation_id bigint NOT NULL REFERENCES federation (federation_id),
    member_id bigint GENERATED ALWAYS AS IDENTITY,
    code text NOT NULL CONSTRAINT member_code_format CHECK (code ~ '^[a-z0-9][a-z0-9-]{1,39}$'),
    kind member_kind NOT NULL,
    name text NOT NULL CONSTRAINT member_name_present CHECK (btrim(name) <> ''),
    orgnr text NOT NULL CONSTRAINT member_orgnr_valid CHECK (finsam_orgnr_valid(orgnr)),
    peppol_id text CONSTRAINT member_peppol_id_format CHECK (peppol_id ~ '^[0-9]{4}:[A-Za-z0-9._-]+$'),
    invoice_address text,
    buyer_reference text,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (federation_id, member_id),
    CONSTRAINT member_code_unique UNIQUE (federation_id, code),
    CONSTRAINT member_orgnr_unique UNIQUE (federation_id, orgnr)
);

-- Folkmängd: one figure per municipality and year, with the reference date and where it came from (e.g. SCB).
CREATE TABLE member_population (
    federation_id bigint NOT NULL,
    member_id bigint NOT NULL,
    year int NOT NULL CONSTRAINT member_population_year_range CHECK (year BETWEEN 2004 AND 2200),
    population int NOT NULL CONSTRAINT member_population_positive CHECK (population > 0),
    reference_date date NOT NULL,
    source text NOT NULL DEFAULT 'SCB',
    PRIMARY KEY (federation_id, member_id, year),
    FOREIGN KEY (federation_id, member_id) REFERENCES member (federation_id, member_id)
);

ALTER TABLE federation ENABLE ROW LEVEL SECURITY;
ALTER TABLE member ENABLE ROW LEVEL SECURITY;
ALTER TABLE member_population ENABLE ROW LEVEL SECURITY;

CREATE POLICY federation_scope ON federation USING (finsam_visible(federation_id));
CREATE POLICY member_scope ON member USING (finsam_visible(federation_id));
CREATE POLICY member_population_scope ON member_population USING (finsam_visible(federation_id));

GRANT SELECT, INSERT, UPDATE ON federation, member, member_population TO finsam_app;
GRANT DELETE ON member_population TO finsam_app;
GRANT EXECUTE ON FUNCTION finsam_visible(bigint), finsam_orgnr_valid(text) TO finsam_app;
