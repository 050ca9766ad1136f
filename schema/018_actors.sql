-- 018: who acts (issue 15). Every use case begins by naming its actor: a person's roles are loaded and the
-- transaction scoped to the federations they hold a role in, in one round trip.
--
-- The application role cannot read user_role_grant before its transaction is scoped (row-level security), so the
-- lookup runs as the owner, and returns only the grants of the one user asked about.

CREATE FUNCTION finsam_act_as(p_user text) RETURNS TABLE (federation text, role text)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    ids bigint[];
BEGIN
    SELECT coalesce(array_agg(DISTINCT g.federation_id ORDER BY g.federation_id), '{}') INTO ids
    FROM user_role_grant g WHERE g.user_code = p_user;
    PERFORM set_config('finsam.all_federations', 'off', true), set_config('finsam.federations', ids::text, true),
        set_config('jit', 'off', true);
    -- No row: the user does not exist. One row of nulls: the user exists and holds no role.
    RETURN QUERY
        SELECT f.code, g.role::text
        FROM app_user u
        LEFT JOIN user_role_grant g ON g.user_code = u.user_code
        LEFT JOIN federation f ON f.federation_id = g.federation_id
        WHERE u.user_code = p_user;
END
$$;

REVOKE ALL ON FUNCTION finsam_act_as(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION finsam_act_as(text) TO finsam_app;
