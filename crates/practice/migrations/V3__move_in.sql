-- Practice mode, schema 3: a faster practice_my_file_ids() for the read policies.
-- Numbered 3, not 2: schema 2 (the sync host) was written beside it; neither depends on the other.

-- The files granted to the signed-in staff member or mirrored from Xero, as in schema 1, made
-- cheaper for the read policies, which call it once per statement for each table a query reads
-- (the client table's query reads three). As a SQL function it was called row by row in the
-- policies' `IN (SELECT practice_my_file_ids())` and planned on every call: about 6 ms for 5,000
-- granted files, three times over, so the table query of a staff member with 5,000 of 10,000
-- files selected took 3 times the owner's for the same files. PL/pgSQL keeps its plan for the
-- session and returns the set at once; UNION ALL spares sorting out duplicates that `IN` ignores
-- anyway (a file both granted and mirrored is listed twice). About 1 ms each now.
CREATE OR REPLACE FUNCTION practice_my_file_ids() RETURNS SETOF bigint
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
BEGIN
    RETURN QUERY
    SELECT g.file_id FROM file_grants g
    WHERE g.staff_role = session_user AND (g.expires_at IS NULL OR g.expires_at > practice_now())
    UNION ALL
    SELECT x.file_id FROM staff s JOIN xero_users x ON lower(x.email) = lower(s.email)
    WHERE s.role_name = session_user AND s.access_mode = 'mirror_xero';
END
$$;
