-- 030: the planner's statistics brought up to date after a bulk load (issue 16, found with the API's load test).
--
-- A table that was never analyzed is planned as if it held ten pages of rows. Autovacuum analyzes a table only after
-- 50 rows and a tenth of it have changed, so the small tables of a young federation (a dozen disbursements, a few
-- interventions) can stay unanalyzed for months, and the demo's right after it is loaded: the disbursement list was
-- planned with hash joins and bitmap scans for twelve rows, and served 1 450 requests/s instead of 2 000
-- (scripts/bench-api, BENCHMARKS.md). finsam_refresh_statistics() analyzes every table of the schema; the demo's
-- load calls it at its end. Only the owner may analyze its tables, so it runs as the owner; the operator and the
-- nightly job may call it. It changes no row.

CREATE FUNCTION finsam_refresh_statistics() RETURNS integer
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    t record;
    analyzed integer := 0;
BEGIN
    FOR t IN
        SELECT c.relname FROM pg_class c
        WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p') AND c.relpersistence = 'p'
        ORDER BY c.relname
    LOOP
        EXECUTE format('ANALYZE public.%I', t.relname);
        analyzed := analyzed + 1;
    END LOOP;
    RETURN analyzed;
END
$$;
REVOKE ALL ON FUNCTION finsam_refresh_statistics() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION finsam_refresh_statistics() TO finsam_operator, finsam_nightly;
