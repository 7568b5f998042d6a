-- Practice mode, schema 1: the practice's client files and what hangs off them, its staff and
-- who may see which file. Run by the owner (the role `switchboard practice init` connects as),
-- which owns every object here. Staff are login roles, members of the NOLOGIN group role
-- switchboard_staff, which holds their table privileges; which *rows* they reach is decided by
-- row-level security through practice_may_see() (and its two halves, practice_sees_all() and
-- practice_my_file_ids(), for reads). Released migrations are never edited.
--
-- Who someone is: session_user, the role that logged in. Not current_user: inside a SECURITY
-- DEFINER function (the admin operations, the audit trigger) current_user is the owner, and a
-- staff member may SET ROLE switchboard_staff; neither changes session_user, which only a
-- superuser can change.

-- Roles are shared by every database of the server, so the group may exist already.
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'switchboard_staff') THEN
        CREATE ROLE switchboard_staff NOLOGIN;
    END IF;
END
$$;

-- The migration history: staff read it when they connect, to refuse a schema newer than their
-- build (refinery creates the table before running this file).
GRANT SELECT ON refinery_schema_history TO switchboard_staff;

-- ---------------------------------------------------------------------------------------------
-- The practice's clock.
--
-- Temporary grants end by themselves: the access rules compare expires_at with the
-- database's clock, never a desktop's (whose clock its user can set). practice_now() is that
-- clock plus a shift held in this one-row table, so a test can move time forward instead of
-- waiting for a grant to expire. Only the owner can write the table (staff have no privilege on
-- it, and its policy lets only the owner through), so no staff member can stretch a grant.
-- In use the shift stays zero.
CREATE TABLE practice_clock (
    one   boolean  PRIMARY KEY DEFAULT true CHECK (one),
    shift interval NOT NULL DEFAULT interval '0'
);
INSERT INTO practice_clock DEFAULT VALUES;

CREATE FUNCTION practice_now() RETURNS timestamptz
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$ SELECT statement_timestamp() + shift FROM practice_clock $$;

-- Every change to a file's rows takes the next number of this sequence as the row's version:
-- one counter for the whole practice, so a replica can later ask for "everything after N" and an
-- edit can carry the version it started from.
CREATE SEQUENCE practice_change_seq;

-- ---------------------------------------------------------------------------------------------
-- Staff and their access.

CREATE TABLE staff (
    role_name    text        PRIMARY KEY,
    display_name text        NOT NULL CHECK (btrim(display_name) <> ''),
    email        text        NOT NULL CHECK (position('@' IN email) > 1),
    is_admin     boolean     NOT NULL DEFAULT false,
    -- all: every file; selected: the files of file_grants; mirror_xero: the files whose Xero
    -- organisation lists this email as a user, plus the files of file_grants (only Xero says who
    -- its users are, so QuickBooks, MYOB and unconnected files are granted by hand).
    access_mode  text        NOT NULL DEFAULT 'selected'
                             CHECK (access_mode IN ('all', 'selected', 'mirror_xero')),
    created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX staff_email ON staff (lower(email));

-- ---------------------------------------------------------------------------------------------
-- Client files and what belongs to one.

CREATE TABLE client_files (
    id             bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    display_name   text        NOT NULL CHECK (btrim(display_name) <> ''),
    -- xero, quickbooks-online, myob, none, or "other: <name>", as in the desktop cache.
    software       text        NOT NULL DEFAULT 'none' CHECK (software <> ''),
    xero_tenant_id text        UNIQUE,
    version        bigint      NOT NULL DEFAULT 0,
    updated_at     timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE xpm_links (
    file_id         bigint      PRIMARY KEY REFERENCES client_files (id) ON DELETE CASCADE,
    xpm_client_uuid text        NOT NULL,
    xpm_client_name text        NOT NULL,
    version         bigint      NOT NULL DEFAULT 0,
    updated_at      timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE console_settings (
    file_id          bigint      PRIMARY KEY REFERENCES client_files (id) ON DELETE CASCADE,
    enabled          boolean     NOT NULL DEFAULT false,
    -- What the client pack holds and how often it is sent, as in Solo mode (client_packs).
    key_reports      boolean     NOT NULL DEFAULT false,
    action_items     boolean     NOT NULL DEFAULT false,
    cadence          text        NOT NULL DEFAULT 'never'
                                 CHECK (cadence IN ('never', 'weekly', 'fortnightly', 'monthly')),
    version          bigint      NOT NULL DEFAULT 0,
    updated_at       timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE console_users (
    id         bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    file_id    bigint      NOT NULL REFERENCES client_files (id) ON DELETE CASCADE,
    name       text        NOT NULL,
    email      text        NOT NULL CHECK (position('@' IN email) > 1),
    role       text        NOT NULL DEFAULT 'viewer',
    version    bigint      NOT NULL DEFAULT 0,
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX console_users_email ON console_users (file_id, lower(email));

-- The Xero users of a file's organisation, by email: the input of the mirror_xero access mode.
CREATE TABLE xero_users (
    file_id    bigint      NOT NULL REFERENCES client_files (id) ON DELETE CASCADE,
    email      text        NOT NULL CHECK (position('@' IN email) > 1),
    version    bigint      NOT NULL DEFAULT 0,
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX xero_users_file_email ON xero_users (file_id, lower(email));
CREATE INDEX xero_users_email ON xero_users (lower(email));

-- Files granted to a staff member one by one (their selected files); a grant with expires_at
-- ends by itself at that time of the practice clock.
CREATE TABLE file_grants (
    staff_role text        NOT NULL REFERENCES staff (role_name) ON DELETE CASCADE,
    file_id    bigint      NOT NULL REFERENCES client_files (id) ON DELETE CASCADE,
    expires_at timestamptz,
    granted_by text        NOT NULL,
    granted_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (staff_role, file_id)
);
CREATE INDEX file_grants_file ON file_grants (file_id);

-- A staff member asking for a file they cannot see; an admin approves (which grants it) or
-- declines.
CREATE TABLE access_requests (
    id         bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    file_id    bigint      NOT NULL REFERENCES client_files (id) ON DELETE CASCADE,
    staff_role text        NOT NULL DEFAULT session_user REFERENCES staff (role_name) ON DELETE CASCADE,
    reason     text        NOT NULL CHECK (btrim(reason) <> ''),
    state      text        NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'approved', 'declined')),
    created_at timestamptz NOT NULL DEFAULT now(),
    decided_by text,
    decided_at timestamptz,
    CHECK ((state = 'pending') = (decided_by IS NULL AND decided_at IS NULL))
);

-- Every change, with the role that made it. actor and at are always set by the database (see
-- practice_audit_stamp), whatever the client sent. No secret is ever written here. No foreign key
-- to client_files: the history of a deleted file stays.
CREATE TABLE audit_log (
    id        bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at        timestamptz NOT NULL DEFAULT now(),
    actor     text        NOT NULL DEFAULT session_user,
    file_id   bigint,
    file_name text,
    action    text        NOT NULL,
    old_value text,
    new_value text
);
CREATE INDEX audit_log_file ON audit_log (file_id, at);

-- ---------------------------------------------------------------------------------------------
-- Who may see what.

-- The owner of the practice's tables: whoever ran `switchboard practice init`.
CREATE FUNCTION practice_owner() RETURNS name
LANGUAGE sql STABLE SET search_path = public, pg_temp
AS $$ SELECT pg_get_userbyid(relowner) FROM pg_class WHERE oid = 'public.staff'::regclass $$;

-- The owner, a superuser, or a staff member marked admin.
CREATE FUNCTION practice_is_admin() RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
    SELECT session_user = practice_owner()
        OR EXISTS (SELECT 1 FROM pg_roles WHERE rolname = session_user AND rolsuper)
        OR EXISTS (SELECT 1 FROM staff WHERE role_name = session_user AND is_admin)
$$;

-- Whether the staff member who logged in may see and change client file `file`. SECURITY
-- DEFINER: it reads grants the staff member cannot read themselves. Admins see every file (they
-- could grant themselves any file anyway).
CREATE FUNCTION practice_may_see(file bigint) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
    SELECT practice_is_admin() OR EXISTS (
        SELECT 1 FROM staff s
        WHERE s.role_name = session_user
          AND (s.access_mode = 'all'
               OR EXISTS (SELECT 1 FROM file_grants g
                          WHERE g.staff_role = s.role_name AND g.file_id = file
                            AND (g.expires_at IS NULL OR g.expires_at > practice_now()))
               OR (s.access_mode = 'mirror_xero'
                   AND EXISTS (SELECT 1 FROM xero_users x
                               WHERE x.file_id = file AND lower(x.email) = lower(s.email))))
    )
$$;

-- The same rule in two halves, for the read policies: whether the staff member sees every file,
-- and the files granted to them or mirrored from Xero. A policy that calls practice_may_see(id)
-- runs it once per row (about 0.1 ms: 1 s to list 10,000 files); written as
-- `(SELECT practice_sees_all()) OR id IN (SELECT practice_my_file_ids())` the planner runs each
-- half once per statement.
CREATE FUNCTION practice_sees_all() RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
    SELECT practice_is_admin()
        OR EXISTS (SELECT 1 FROM staff WHERE role_name = session_user AND access_mode = 'all')
$$;

CREATE FUNCTION practice_my_file_ids() RETURNS SETOF bigint
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
    SELECT g.file_id FROM file_grants g
    WHERE g.staff_role = session_user AND (g.expires_at IS NULL OR g.expires_at > practice_now())
    UNION
    SELECT x.file_id FROM staff s JOIN xero_users x ON lower(x.email) = lower(s.email)
    WHERE s.role_name = session_user AND s.access_mode = 'mirror_xero'
$$;

-- The id and name of every client file, and nothing else: what a staff member needs to ask for
-- access to a file they cannot see. Only for this practice's staff: roles are shared by every
-- database of the server, and a member of switchboard_staff may be another practice's.
CREATE FUNCTION practice_file_names() RETURNS TABLE (id bigint, display_name text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
    SELECT id, display_name FROM client_files
    WHERE practice_is_admin() OR EXISTS (SELECT 1 FROM staff WHERE role_name = session_user)
    ORDER BY lower(display_name), id
$$;

-- Every table gets row-level security, forced so that it applies to the owner too; the owner gets
-- an explicit policy of its own (SECURITY DEFINER functions run as the owner and must see every
-- row), and staff policies are for switchboard_staff. Any other role sees nothing.
ALTER TABLE practice_clock   ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
ALTER TABLE staff            ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
ALTER TABLE client_files     ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
ALTER TABLE xpm_links        ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
ALTER TABLE console_settings ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
ALTER TABLE console_users    ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
ALTER TABLE xero_users       ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
ALTER TABLE file_grants      ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
ALTER TABLE access_requests  ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
ALTER TABLE audit_log        ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;

CREATE POLICY owner_all ON practice_clock   TO CURRENT_USER USING (true) WITH CHECK (true);
CREATE POLICY owner_all ON staff            TO CURRENT_USER USING (true) WITH CHECK (true);
CREATE POLICY owner_all ON client_files     TO CURRENT_USER USING (true) WITH CHECK (true);
CREATE POLICY owner_all ON xpm_links        TO CURRENT_USER USING (true) WITH CHECK (true);
CREATE POLICY owner_all ON console_settings TO CURRENT_USER USING (true) WITH CHECK (true);
CREATE POLICY owner_all ON console_users    TO CURRENT_USER USING (true) WITH CHECK (true);
CREATE POLICY owner_all ON xero_users       TO CURRENT_USER USING (true) WITH CHECK (true);
CREATE POLICY owner_all ON file_grants      TO CURRENT_USER USING (true) WITH CHECK (true);
CREATE POLICY owner_all ON access_requests  TO CURRENT_USER USING (true) WITH CHECK (true);
CREATE POLICY owner_all ON audit_log        TO CURRENT_USER USING (true) WITH CHECK (true);

-- Rows of a client file: only for those who may see the file, for reading and writing alike (a
-- row written must belong to a file the writer may see: a new client file is refused to staff
-- who cannot see every file). Reading uses the two halves of the rule (see practice_sees_all);
-- writing, one row at a time, practice_may_see itself.
CREATE POLICY staff_files ON client_files TO switchboard_staff
    USING ((SELECT practice_sees_all()) OR id IN (SELECT practice_my_file_ids()))
    WITH CHECK (practice_may_see(id));
CREATE POLICY staff_files ON xpm_links TO switchboard_staff
    USING ((SELECT practice_sees_all()) OR file_id IN (SELECT practice_my_file_ids()))
    WITH CHECK (practice_may_see(file_id));
CREATE POLICY staff_files ON console_settings TO switchboard_staff
    USING ((SELECT practice_sees_all()) OR file_id IN (SELECT practice_my_file_ids()))
    WITH CHECK (practice_may_see(file_id));
CREATE POLICY staff_files ON console_users TO switchboard_staff
    USING ((SELECT practice_sees_all()) OR file_id IN (SELECT practice_my_file_ids()))
    WITH CHECK (practice_may_see(file_id));
CREATE POLICY staff_files ON xero_users TO switchboard_staff
    USING ((SELECT practice_sees_all()) OR file_id IN (SELECT practice_my_file_ids()))
    WITH CHECK (practice_may_see(file_id));

-- Colleagues' names and emails are no secret; changes go through the admin functions below.
CREATE POLICY staff_read ON staff FOR SELECT TO switchboard_staff USING (true);
-- Your own grants and requests; admins see everyone's.
CREATE POLICY staff_read ON file_grants FOR SELECT TO switchboard_staff
    USING (staff_role = session_user OR practice_is_admin());
CREATE POLICY staff_read ON access_requests FOR SELECT TO switchboard_staff
    USING (staff_role = session_user OR practice_is_admin());
-- A request is made by and for oneself, pending; deciding is the admins' (practice_decide_request).
CREATE POLICY staff_request ON access_requests FOR INSERT TO switchboard_staff
    WITH CHECK (staff_role = session_user AND state = 'pending' AND decided_by IS NULL);
-- The history of the files one may see; the rest (staff and access changes) is for admins.
CREATE POLICY staff_read ON audit_log FOR SELECT TO switchboard_staff
    USING (CASE WHEN file_id IS NULL THEN (SELECT practice_is_admin())
                ELSE (SELECT practice_sees_all()) OR file_id IN (SELECT practice_my_file_ids()) END);
CREATE POLICY staff_note ON audit_log FOR INSERT TO switchboard_staff
    WITH CHECK (file_id IS NULL OR practice_may_see(file_id));

GRANT SELECT, INSERT, UPDATE, DELETE ON client_files, xpm_links, console_settings, console_users, xero_users
    TO switchboard_staff;
GRANT SELECT ON staff, file_grants TO switchboard_staff;
GRANT SELECT ON access_requests TO switchboard_staff;
GRANT INSERT (file_id, reason) ON access_requests TO switchboard_staff;
GRANT SELECT ON audit_log TO switchboard_staff;
GRANT INSERT (file_id, file_name, action, old_value, new_value) ON audit_log TO switchboard_staff;
GRANT USAGE ON SEQUENCE practice_change_seq TO switchboard_staff;

-- ---------------------------------------------------------------------------------------------
-- Versions and the audit log, kept by the database.

CREATE FUNCTION practice_bump_version() RETURNS trigger
LANGUAGE plpgsql SET search_path = public, pg_temp
AS $$
BEGIN
    NEW.version := nextval('practice_change_seq');
    NEW.updated_at := now();
    RETURN NEW;
END
$$;

CREATE TRIGGER bump_version BEFORE INSERT OR UPDATE ON client_files
    FOR EACH ROW EXECUTE FUNCTION practice_bump_version();
CREATE TRIGGER bump_version BEFORE INSERT OR UPDATE ON xpm_links
    FOR EACH ROW EXECUTE FUNCTION practice_bump_version();
CREATE TRIGGER bump_version BEFORE INSERT OR UPDATE ON console_settings
    FOR EACH ROW EXECUTE FUNCTION practice_bump_version();
CREATE TRIGGER bump_version BEFORE INSERT OR UPDATE ON console_users
    FOR EACH ROW EXECUTE FUNCTION practice_bump_version();
CREATE TRIGGER bump_version BEFORE INSERT OR UPDATE ON xero_users
    FOR EACH ROW EXECUTE FUNCTION practice_bump_version();

-- Whatever a client wrote as actor or time, the row says who logged in and when.
CREATE FUNCTION practice_audit_stamp() RETURNS trigger
LANGUAGE plpgsql SET search_path = public, pg_temp
AS $$
BEGIN
    NEW.actor := session_user;
    NEW.at := now();
    RETURN NEW;
END
$$;
CREATE TRIGGER stamp BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION practice_audit_stamp();

-- One audit row.
CREATE FUNCTION practice_audit(file bigint, action text, old_value text, new_value text) RETURNS void
LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
    INSERT INTO audit_log (file_id, file_name, action, old_value, new_value)
    VALUES (file, (SELECT display_name FROM client_files WHERE id = file), action, old_value, new_value)
$$;

-- Every change to a file's rows, as "<table> insert|update|delete" with the row before and after.
CREATE FUNCTION practice_audit_change() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
DECLARE
    old_row jsonb := CASE WHEN TG_OP = 'INSERT' THEN NULL ELSE to_jsonb(OLD) - 'version' - 'updated_at' END;
    new_row jsonb := CASE WHEN TG_OP = 'DELETE' THEN NULL ELSE to_jsonb(NEW) - 'version' - 'updated_at' END;
    file bigint := CASE WHEN TG_TABLE_NAME = 'client_files' THEN coalesce(new_row, old_row) ->> 'id'
                        ELSE coalesce(new_row, old_row) ->> 'file_id' END;
BEGIN
    INSERT INTO audit_log (file_id, file_name, action, old_value, new_value)
    VALUES (file,
            coalesce((SELECT display_name FROM client_files WHERE id = file),
                     coalesce(new_row, old_row) ->> 'display_name'),
            TG_TABLE_NAME || ' ' || lower(TG_OP), old_row::text, new_row::text);
    RETURN NULL;
END
$$;

CREATE TRIGGER audit AFTER INSERT OR UPDATE OR DELETE ON client_files
    FOR EACH ROW EXECUTE FUNCTION practice_audit_change();
CREATE TRIGGER audit AFTER INSERT OR UPDATE OR DELETE ON xpm_links
    FOR EACH ROW EXECUTE FUNCTION practice_audit_change();
CREATE TRIGGER audit AFTER INSERT OR UPDATE OR DELETE ON console_settings
    FOR EACH ROW EXECUTE FUNCTION practice_audit_change();
CREATE TRIGGER audit AFTER INSERT OR UPDATE OR DELETE ON console_users
    FOR EACH ROW EXECUTE FUNCTION practice_audit_change();
CREATE TRIGGER audit AFTER INSERT OR UPDATE OR DELETE ON xero_users
    FOR EACH ROW EXECUTE FUNCTION practice_audit_change();

-- ---------------------------------------------------------------------------------------------
-- Admin operations. Each checks the caller is an admin, runs as the owner (SECURITY DEFINER) so
-- admins need no privilege on the tables or roles themselves, and writes the audit log.

CREATE FUNCTION practice_require_admin(what text) RETURNS void
LANGUAGE plpgsql STABLE SET search_path = public, pg_temp
AS $$
BEGIN
    IF NOT practice_is_admin() THEN
        RAISE EXCEPTION 'only a practice admin may %', what USING ERRCODE = 'insufficient_privilege';
    END IF;
END
$$;

-- A staff role name: lower-case letters, digits and underscores, starting with a letter; never a
-- name PostgreSQL reserves or the staff group itself.
CREATE FUNCTION practice_check_role_name(role text) RETURNS void
LANGUAGE plpgsql IMMUTABLE
AS $$
BEGIN
    IF role !~ '^[a-z][a-z0-9_]{0,62}$' OR role LIKE 'pg\_%' OR role = 'switchboard_staff' THEN
        RAISE EXCEPTION 'invalid staff role name "%"', role USING ERRCODE = 'invalid_parameter_value';
    END IF;
END
$$;

-- Adds a staff member: a login role in switchboard_staff, and their staff row. `verifier` is the
-- SCRAM-SHA-256 verifier of their password, computed by the client: the password itself never
-- reaches the server, its statement log or pg_stat_activity.
-- (password_encryption is set too, so that no other setting could ever store a weaker hash.)
CREATE FUNCTION practice_add_staff(role text, display_name text, email text, is_admin boolean, verifier text)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp SET password_encryption = 'scram-sha-256'
AS $$
BEGIN
    PERFORM practice_require_admin('add staff');
    PERFORM practice_check_role_name(role);
    IF verifier !~ '^SCRAM-SHA-256\$[0-9]+:[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+$' THEN
        RAISE EXCEPTION 'a staff password must arrive as a SCRAM-SHA-256 verifier'
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = role) THEN
        RAISE EXCEPTION 'a role named "%" already exists on this server', role USING ERRCODE = 'duplicate_object';
    END IF;
    EXECUTE format('CREATE ROLE %I LOGIN INHERIT NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS '
                   'PASSWORD %L IN ROLE switchboard_staff', role, verifier);
    INSERT INTO staff (role_name, display_name, email, is_admin, access_mode)
    VALUES (role, display_name, email, is_admin, CASE WHEN is_admin THEN 'all' ELSE 'selected' END);
    PERFORM practice_audit(NULL, 'staff added', NULL,
                           format('%s <%s>%s', role, email, CASE WHEN is_admin THEN ' (admin)' ELSE '' END));
END
$$;

-- Removes a staff member at once: no more logins, no more privileges or grants, every open
-- session of theirs ended, then the role dropped. Returns how many sessions were ended.
CREATE FUNCTION practice_remove_staff(role text) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
DECLARE
    ended integer := 0;
    session integer;
BEGIN
    PERFORM practice_require_admin('remove staff');
    IF NOT EXISTS (SELECT 1 FROM staff WHERE role_name = role) THEN
        RAISE EXCEPTION 'no staff member "%"', role USING ERRCODE = 'no_data_found';
    END IF;
    IF role = session_user THEN
        RAISE EXCEPTION 'an admin cannot remove themselves' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    EXECUTE format('ALTER ROLE %I NOLOGIN', role);
    EXECUTE format('REVOKE switchboard_staff FROM %I', role);
    DELETE FROM staff WHERE role_name = role;
    -- The sessions are listed first and ended one by one: in a single query's WHERE clause the
    -- planner may call pg_terminate_backend before filtering by user, ending other sessions.
    FOR session IN SELECT pid FROM pg_stat_activity WHERE usename = role AND pid <> pg_backend_pid() LOOP
        -- Waits up to 5 s for the session to end.
        IF pg_terminate_backend(session, 5000) THEN
            ended := ended + 1;
        END IF;
    END LOOP;
    EXECUTE format('DROP ROLE %I', role);
    PERFORM practice_audit(NULL, 'staff removed', role, NULL);
    RETURN ended;
END
$$;

CREATE FUNCTION practice_set_access(role text, mode text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
DECLARE
    before text;
BEGIN
    PERFORM practice_require_admin('change access');
    SELECT access_mode INTO before FROM staff WHERE role_name = role FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'no staff member "%"', role USING ERRCODE = 'no_data_found';
    END IF;
    UPDATE staff SET access_mode = mode WHERE role_name = role;
    PERFORM practice_audit(NULL, 'access mode of ' || role, before, mode);
END
$$;

CREATE FUNCTION practice_grant_file(role text, file bigint, expires timestamptz) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
BEGIN
    PERFORM practice_require_admin('grant access');
    IF NOT EXISTS (SELECT 1 FROM staff WHERE role_name = role) THEN
        RAISE EXCEPTION 'no staff member "%"', role USING ERRCODE = 'no_data_found';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM client_files WHERE id = file) THEN
        RAISE EXCEPTION 'no client file %', file USING ERRCODE = 'no_data_found';
    END IF;
    INSERT INTO file_grants (staff_role, file_id, expires_at, granted_by)
    VALUES (role, file, expires, session_user)
    ON CONFLICT (staff_role, file_id)
        DO UPDATE SET expires_at = excluded.expires_at, granted_by = excluded.granted_by, granted_at = now();
    PERFORM practice_audit(file, 'access granted', NULL,
                           role || coalesce(' until ' || expires::text, ''));
END
$$;

CREATE FUNCTION practice_revoke_file(role text, file bigint) RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
BEGIN
    PERFORM practice_require_admin('revoke access');
    DELETE FROM file_grants WHERE staff_role = role AND file_id = file;
    IF NOT FOUND THEN
        RETURN false;
    END IF;
    PERFORM practice_audit(file, 'access revoked', role, NULL);
    RETURN true;
END
$$;

-- Approves (granting the file, without end) or declines a pending request.
CREATE FUNCTION practice_decide_request(request bigint, approve boolean) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
DECLARE
    r access_requests;
BEGIN
    PERFORM practice_require_admin('decide access requests');
    SELECT * INTO r FROM access_requests WHERE id = request FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'no access request %', request USING ERRCODE = 'no_data_found';
    END IF;
    IF r.state <> 'pending' THEN
        RAISE EXCEPTION 'access request % was already %', request, r.state USING ERRCODE = 'invalid_parameter_value';
    END IF;
    UPDATE access_requests
    SET state = CASE WHEN approve THEN 'approved' ELSE 'declined' END,
        decided_by = session_user, decided_at = now()
    WHERE id = request;
    IF approve THEN
        PERFORM practice_grant_file(r.staff_role, r.file_id, NULL);
    END IF;
    PERFORM practice_audit(r.file_id, CASE WHEN approve THEN 'access request approved' ELSE 'access request declined' END,
                           r.staff_role || ': ' || r.reason, NULL);
END
$$;

-- Requests are audited as they arrive.
CREATE FUNCTION practice_audit_request() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
BEGIN
    PERFORM practice_audit(NEW.file_id, 'access requested', NULL, NEW.staff_role || ': ' || NEW.reason);
    RETURN NULL;
END
$$;
CREATE TRIGGER audit AFTER INSERT ON access_requests FOR EACH ROW EXECUTE FUNCTION practice_audit_request();

-- Functions are callable by PUBLIC unless revoked; only staff (and the owner) may call these.
REVOKE EXECUTE ON ALL FUNCTIONS IN SCHEMA public FROM PUBLIC;
GRANT EXECUTE ON FUNCTION practice_now(), practice_is_admin(), practice_may_see(bigint), practice_sees_all(),
    practice_my_file_ids(), practice_file_names(),
    practice_add_staff(text, text, text, boolean, text), practice_remove_staff(text),
    practice_set_access(text, text), practice_grant_file(text, bigint, timestamptz),
    practice_revoke_file(text, bigint), practice_decide_request(bigint, boolean)
    TO switchboard_staff;
