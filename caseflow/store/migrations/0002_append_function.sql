-- One round trip per append: idempotency check, optimistic concurrency check, global-order lock,
-- insert with the hash chain linked here (hash = sha256(prev_hash || content_digest)).
-- Returns what the database adds to each event (version, position, hashes). When some of the ids
-- already exist it writes nothing and returns those (existed = true): the caller decides whether
-- that is a retry of the same append.
CREATE FUNCTION caseflow_append(
    p_stream text, p_expected integer, p_ids uuid[], p_types text[], p_schema_versions integer[],
    p_data text[], p_occurred timestamptz[], p_recorded timestamptz, p_actors text[],
    p_digests text[]
) RETURNS TABLE (version integer, global_position bigint, prev_hash text, hash text,
                event_id uuid, existed boolean)
LANGUAGE plpgsql
-- Plan each call against the table's current size: a plan cached while the table was small
-- kept a sequential scan for the event-id check, and appends slowed as the table grew.
SET plan_cache_mode = force_custom_plan
AS $$
DECLARE
    v_head integer;
    v_prev text;
    v_prevs text[];
    v_hashes text[];
BEGIN
    SELECT e.version, e.hash INTO v_head, v_prev
      FROM events e WHERE e.stream_id = p_stream ORDER BY e.version DESC LIMIT 1;
    IF NOT FOUND THEN
        v_head := 0;
        v_prev := repeat('0', 64);
    END IF;
    -- Our ids already stored means a retry of this append (maybe committed by a concurrent
    -- retry a moment ago, which is also why this runs after reading the head).
    RETURN QUERY
        SELECT e.version, e.global_position, e.prev_hash::text, e.hash::text, e.event_id, true
          FROM events e WHERE e.event_id = ANY (p_ids);
    IF FOUND THEN
        RETURN;
    END IF;
    IF v_head <> p_expected THEN
        RAISE EXCEPTION 'version conflict on stream %', p_stream
            USING ERRCODE = 'CF409', DETAIL = v_head::text;
    END IF;
    -- Held to commit so that global positions become visible in order: a reader that saw
    -- position N never later sees a new event below N.
    PERFORM pg_advisory_xact_lock(7403118);
    v_hashes := ARRAY[]::text[];
    v_prevs := ARRAY[]::text[];
    FOR i IN 1 .. array_length(p_ids, 1) LOOP
        v_prevs := v_prevs || v_prev;
        v_prev := encode(sha256(convert_to(v_prev || p_digests[i], 'UTF8')), 'hex');
        v_hashes := v_hashes || v_prev;
    END LOOP;
    RETURN QUERY
        INSERT INTO events (stream_id, version, event_id, type, schema_version, data,
                            occurred_at, recorded_at, actor, prev_hash, hash)
        SELECT p_stream, p_expected + u.n, u.id, u.t, u.sv, u.d::jsonb, u.o, p_recorded, u.a,
               u.p, u.h
          FROM unnest(p_ids, p_types, p_schema_versions, p_data, p_occurred, p_actors,
                      v_prevs, v_hashes) WITH ORDINALITY AS u(id, t, sv, d, o, a, p, h, n)
        RETURNING events.version, events.global_position, events.prev_hash::text,
                  events.hash::text, events.event_id, false;
END
$$;
