-- Every decode of Temporal payloads through caseflow's codec (/codec, for the Temporal UI):
-- a read of personal data, kept without its content: who, in which role and unit, which
-- records the payloads named, how many were opened.
CREATE TABLE payload_reads (
    id        bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    read_at   timestamptz NOT NULL DEFAULT now(),
    reader    text        NOT NULL,
    role      text        NOT NULL,
    unit      text,
    namespace text,
    records   text[]      NOT NULL,
    opened    integer     NOT NULL,
    payloads  integer     NOT NULL
);
CREATE INDEX payload_reads_reader ON payload_reads (reader, read_at);
