-- The connector's own code (authorization, relations) and a codegen job's
-- input (preferred endpoints, the script to repair, midPoint's errors).

-- +goose Up
ALTER TABLE connls_sessions ADD COLUMN connector jsonb NOT NULL DEFAULT '{}';
ALTER TABLE connls_jobs ADD COLUMN input jsonb;

-- +goose Down
ALTER TABLE connls_jobs DROP COLUMN input;
ALTER TABLE connls_sessions DROP COLUMN connector;
