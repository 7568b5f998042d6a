-- Practice mode, schema 2: the sync host, the token hand-over and sync requests.
--
-- One machine of the practice, the sync host, holds every Xero token set in its OS credential
-- store and makes every Xero call. It signs in as the practice's owner (the role that ran
-- `switchboard practice init`): the owner's policies (owner_all) are the only ones that reach the
-- hand-overs' ciphertext. A staff member who connects a file on their desktop encrypts the new
-- token set to the sync host's age X25519 public key (its "recipient") and writes only that
-- ciphertext here; the sync host takes it into its store and deletes the row.

-- The one registered sync host: its public key, never its secret key (which stays in the sync
-- host's credential store). Staff read it, to encrypt to it.
CREATE TABLE sync_host (
    one           boolean     PRIMARY KEY DEFAULT true CHECK (one),
    recipient     text        NOT NULL CHECK (recipient ~ '^age1[02-9ac-hj-np-z]{58}$'),
    host_name     text        NOT NULL CHECK (btrim(host_name) <> ''),
    registered_by text        NOT NULL DEFAULT session_user,
    registered_at timestamptz NOT NULL DEFAULT now()
);

-- Token sets on their way to the sync host: age ciphertext only, until taken. file_ids: the client
-- files the consent connected (one token set may cover several organisations).
CREATE TABLE token_handovers (
    id         bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    file_ids   bigint[]    NOT NULL CHECK (cardinality(file_ids) > 0 AND array_position(file_ids, NULL) IS NULL),
    ciphertext bytea       NOT NULL,
    -- The sync host key it was encrypted to: a row for another key is refused by the sync host
    -- and left in place.
    recipient  text        NOT NULL,
    offered_by text        NOT NULL DEFAULT session_user,
    offered_at timestamptz NOT NULL DEFAULT now(),
    -- Why the sync host refused it (another key, or not decryptable), for the staff member to
    -- see; set by the sync host, which audits a refusal once.
    refused    text
);

-- The token sets the sync host took, by hand-over id (which names its key in the sync host's
-- credential store), and the files each connects. Nothing secret.
CREATE TABLE sync_token_sets (
    id         bigint      PRIMARY KEY,
    file_ids   bigint[]    NOT NULL,
    offered_by text        NOT NULL,
    offered_at timestamptz NOT NULL,
    taken_at   timestamptz NOT NULL DEFAULT now()
);

-- A desktop asking the sync host for a sync: of one client file, or of the whole practice
-- (file_id NULL). The sync host claims it, reports progress and finishes it.
CREATE TABLE sync_requests (
    id           bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    file_id      bigint      REFERENCES client_files (id) ON DELETE CASCADE,
    requested_by text        NOT NULL DEFAULT session_user,
    requested_at timestamptz NOT NULL DEFAULT now(),
    state        text        NOT NULL DEFAULT 'requested'
                             CHECK (state IN ('requested', 'running', 'done', 'failed')),
    total        integer,
    done         integer     NOT NULL DEFAULT 0,
    failed       integer     NOT NULL DEFAULT 0,
    message      text,
    started_at   timestamptz,
    finished_at  timestamptz
);
CREATE INDEX sync_requests_open ON sync_requests (id) WHERE state IN ('requested', 'running');

ALTER TABLE sync_host       ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
ALTER TABLE token_handovers ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
ALTER TABLE sync_token_sets ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
ALTER TABLE sync_requests   ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;

CREATE POLICY owner_all ON sync_host       TO CURRENT_USER USING (true) WITH CHECK (true);
CREATE POLICY owner_all ON token_handovers TO CURRENT_USER USING (true) WITH CHECK (true);
CREATE POLICY owner_all ON sync_token_sets TO CURRENT_USER USING (true) WITH CHECK (true);
CREATE POLICY owner_all ON sync_requests   TO CURRENT_USER USING (true) WITH CHECK (true);

-- The sync host's public key is no secret; registering one is an admin function (below).
CREATE POLICY staff_read ON sync_host FOR SELECT TO switchboard_staff USING (true);
GRANT SELECT ON sync_host TO switchboard_staff;

-- A staff member hands over token sets of files they may see, encrypted to the registered sync
-- host, as themselves. They see their own hand-overs still waiting (never the ciphertext column:
-- it is not granted), nobody else's, and delete none.
CREATE POLICY staff_offer ON token_handovers FOR INSERT TO switchboard_staff
    WITH CHECK (offered_by = session_user
                AND recipient = (SELECT s.recipient FROM sync_host s)
                AND (SELECT bool_and(practice_may_see(f)) FROM unnest(file_ids) AS f));
CREATE POLICY staff_read ON token_handovers FOR SELECT TO switchboard_staff
    USING (offered_by = session_user);
GRANT SELECT (id, file_ids, recipient, offered_by, offered_at, refused) ON token_handovers TO switchboard_staff;
GRANT INSERT (file_ids, ciphertext, recipient) ON token_handovers TO switchboard_staff;

-- Which of the files one may see have a token set on the sync host.
CREATE POLICY staff_read ON sync_token_sets FOR SELECT TO switchboard_staff
    USING ((SELECT practice_sees_all()) OR file_ids && ARRAY(SELECT practice_my_file_ids()));
GRANT SELECT ON sync_token_sets TO switchboard_staff;

-- Everyone sees every request and its progress (file ids and names are no secret to staff, see
-- practice_file_names); a request is made by oneself, for the whole practice or a file one may
-- see. Only the sync host (the owner) claims and updates them.
CREATE POLICY staff_read ON sync_requests FOR SELECT TO switchboard_staff USING (true);
CREATE POLICY staff_request ON sync_requests FOR INSERT TO switchboard_staff
    WITH CHECK (requested_by = session_user AND state = 'requested'
                AND (file_id IS NULL OR practice_may_see(file_id)));
GRANT SELECT ON sync_requests TO switchboard_staff;
GRANT INSERT (file_id) ON sync_requests TO switchboard_staff;

-- Registers the sync host's public key, replacing any earlier one (there is one sync host).
-- Admins only; audited. Hand-overs already encrypted to the old key stay, and the new sync host
-- refuses them (the staff member connects the file again).
CREATE FUNCTION practice_register_sync_host(recipient text, host_name text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
DECLARE
    before text;
BEGIN
    PERFORM practice_require_admin('register the sync host');
    SELECT s.recipient || ' on ' || s.host_name INTO before FROM sync_host s;
    INSERT INTO sync_host (recipient, host_name, registered_by, registered_at)
    VALUES (recipient, host_name, session_user, now())
    ON CONFLICT (one) DO UPDATE
        SET recipient = excluded.recipient, host_name = excluded.host_name,
            registered_by = excluded.registered_by, registered_at = excluded.registered_at;
    PERFORM practice_audit(NULL, 'sync host registered', before, recipient || ' on ' || host_name);
END
$$;

-- Hand-overs are audited as they arrive, once per file (never the ciphertext).
CREATE FUNCTION practice_audit_handover() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
DECLARE
    f bigint;
BEGIN
    FOREACH f IN ARRAY NEW.file_ids LOOP
        PERFORM practice_audit(f, 'token set handed over', NULL,
                               format('hand-over %s for sync host key %s', NEW.id, NEW.recipient));
    END LOOP;
    RETURN NULL;
END
$$;
CREATE TRIGGER audit AFTER INSERT ON token_handovers FOR EACH ROW EXECUTE FUNCTION practice_audit_handover();

-- A sync host that stays up (`switchboard sync --practice --watch`) takes a hand-over as soon as
-- it arrives: it LISTENs on switchboard_handover, told only the hand-over's id.
CREATE FUNCTION practice_notify_handover() RETURNS trigger
LANGUAGE plpgsql SET search_path = public, pg_temp
AS $$
BEGIN
    PERFORM pg_notify('switchboard_handover', NEW.id::text);
    RETURN NULL;
END
$$;
CREATE TRIGGER notify AFTER INSERT ON token_handovers FOR EACH ROW EXECUTE FUNCTION practice_notify_handover();

-- Desktops LISTEN on switchboard_sync: every new request and every change of one (progress,
-- state) is announced with the request's id and state, nothing else.
CREATE FUNCTION practice_notify_sync() RETURNS trigger
LANGUAGE plpgsql SET search_path = public, pg_temp
AS $$
BEGIN
    PERFORM pg_notify('switchboard_sync',
                      json_build_object('request', NEW.id, 'state', NEW.state, 'done', NEW.done,
                                        'failed', NEW.failed, 'total', NEW.total)::text);
    RETURN NULL;
END
$$;
CREATE TRIGGER notify AFTER INSERT OR UPDATE ON sync_requests FOR EACH ROW EXECUTE FUNCTION practice_notify_sync();

REVOKE EXECUTE ON FUNCTION practice_register_sync_host(text, text), practice_audit_handover(),
    practice_notify_handover(), practice_notify_sync() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION practice_register_sync_host(text, text) TO switchboard_staff;
