-- finsam_account_group inlined again (issue 16, the API's load test). Schema/015 gave every function a fixed
-- search_path; a SQL function with a SET clause is never inlined, so every report called it once per ledger row and
-- expression: 775 calls per income statement, most of its 5.5 ms of database time per request (pg_stat_statements).
-- Like finsam_visible, it now names everything it uses with pg_catalog instead, which keeps it safe whatever the
-- caller's search_path, and the planner writes `left(account::text, 4)::int` into the query in its place.

CREATE OR REPLACE FUNCTION finsam_account_group(account int) RETURNS int
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT pg_catalog.left(account::pg_catalog.text, 4)::pg_catalog.int4
$$;
ALTER FUNCTION finsam_account_group(int) RESET search_path;
