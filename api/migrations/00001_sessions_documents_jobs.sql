-- The schema of connls api on PostgreSQL. River's own tables (the job
-- queue) are created by River's migrations, run under the same lock.

-- +goose Up
CREATE TABLE connls_sessions (
    id            uuid PRIMARY KEY,
    owner         text NOT NULL DEFAULT '',
    created_at    timestamptz NOT NULL,
    updated_at    timestamptz NOT NULL,
    known_classes jsonb NOT NULL DEFAULT '[]',
    -- per object class: attributes, endpoints, generated code and overrides
    classes       jsonb NOT NULL DEFAULT '{}'
);

CREATE TABLE connls_documents (
    session_id uuid NOT NULL REFERENCES connls_sessions (id) ON DELETE CASCADE,
    id         uuid NOT NULL,
    name       text NOT NULL,
    size       integer NOT NULL,
    created_at timestamptz NOT NULL,
    data       bytea NOT NULL,
    PRIMARY KEY (session_id, id)
);

CREATE TABLE connls_jobs (
    id           uuid PRIMARY KEY,
    session_id   uuid NOT NULL REFERENCES connls_sessions (id) ON DELETE CASCADE,
    kind         text NOT NULL,
    object_class text NOT NULL DEFAULT '',
    fresh        boolean NOT NULL DEFAULT false,
    status       text NOT NULL CHECK (status IN ('queued', 'running', 'finished', 'failed')),
    created_at   timestamptz NOT NULL,
    started_at   timestamptz,
    updated_at   timestamptz NOT NULL,
    progress     jsonb,
    result       jsonb,
    errors       text[] NOT NULL DEFAULT '{}',
    -- the attempt that owns the job: only it may store progress or an outcome
    attempt      integer NOT NULL DEFAULT 0,
    river_job_id bigint
);

CREATE INDEX connls_jobs_session ON connls_jobs (session_id, created_at);

-- +goose Down
DROP TABLE connls_jobs;
DROP TABLE connls_documents;
DROP TABLE connls_sessions;
