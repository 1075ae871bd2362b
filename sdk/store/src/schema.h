// The database schema, as the list of migrations that build it. Migration i (0-based) takes the
// database from schema version i to i + 1. Never edit a released migration: add one.
#ifndef GALE_STORE_SRC_SCHEMA_H_
#define GALE_STORE_SRC_SCHEMA_H_

#include <array>

#include "gale/store/store.h"

namespace gale::store {

/// PRAGMA application_id of a Gale state database: "Gale" in ASCII.
inline constexpr int kGaleApplicationId = 0x47616c65;

inline constexpr std::array<const char *, kSchemaVersion> kMigrations = {
    // 1: jobs with their event logs, builds and artifacts, devices, test runs and results.
    R"sql(
CREATE TABLE sequences (
  name TEXT PRIMARY KEY,
  value INTEGER NOT NULL
) WITHOUT ROWID;
INSERT INTO sequences (name, value) VALUES ('job', 0), ('build', 0), ('test_run', 0);

CREATE TABLE jobs (
  id TEXT PRIMARY KEY,
  n INTEGER NOT NULL UNIQUE,
  kind TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('queued', 'running', 'succeeded', 'failed',
                                       'cancelled', 'interrupted')),
  summary TEXT NOT NULL DEFAULT '',
  device_id TEXT NOT NULL DEFAULT '',
  board TEXT NOT NULL DEFAULT '',
  created_us INTEGER NOT NULL,
  started_us INTEGER NOT NULL DEFAULT 0,
  finished_us INTEGER NOT NULL DEFAULT 0,
  error TEXT NOT NULL DEFAULT '',
  exit_code INTEGER NOT NULL DEFAULT 0,
  daemon_pid INTEGER NOT NULL DEFAULT 0,
  instance_id TEXT NOT NULL DEFAULT ''
);
CREATE INDEX jobs_by_state ON jobs (state);

CREATE TABLE job_events (
  job_id TEXT NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
  seq INTEGER NOT NULL,
  time_us INTEGER NOT NULL,
  kind TEXT NOT NULL,
  payload BLOB NOT NULL,
  UNIQUE (job_id, seq)
);

CREATE TABLE builds (
  id TEXT PRIMARY KEY,
  n INTEGER NOT NULL UNIQUE,
  app_dir TEXT NOT NULL,
  board TEXT NOT NULL,
  build_dir TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('queued', 'running', 'succeeded', 'failed',
                                       'cancelled', 'interrupted')),
  job_id TEXT REFERENCES jobs (id) ON DELETE SET NULL,
  started_us INTEGER NOT NULL,
  finished_us INTEGER NOT NULL DEFAULT 0,
  flash_bytes INTEGER NOT NULL DEFAULT 0,
  ram_bytes INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX builds_by_dir ON builds (build_dir, n);
CREATE INDEX builds_by_state ON builds (state);

CREATE TABLE artifacts (
  build_id TEXT NOT NULL REFERENCES builds (id) ON DELETE CASCADE,
  kind TEXT NOT NULL,
  path TEXT NOT NULL,
  size INTEGER NOT NULL
);
CREATE INDEX artifacts_by_build ON artifacts (build_id);

CREATE TABLE devices (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL DEFAULT '',
  board TEXT NOT NULL DEFAULT '',
  kind TEXT NOT NULL CHECK (kind IN ('emulated', 'physical')),
  serial TEXT NOT NULL DEFAULT '',
  created_us INTEGER NOT NULL,
  last_seen_us INTEGER NOT NULL DEFAULT 0,
  tags TEXT NOT NULL DEFAULT '[]',
  extra TEXT NOT NULL DEFAULT '{}'
);
CREATE UNIQUE INDEX devices_by_name ON devices (name) WHERE name <> '';

CREATE TABLE test_runs (
  id TEXT PRIMARY KEY,
  n INTEGER NOT NULL UNIQUE,
  job_id TEXT REFERENCES jobs (id) ON DELETE SET NULL,
  state TEXT NOT NULL CHECK (state IN ('queued', 'running', 'succeeded', 'failed',
                                       'cancelled', 'interrupted')),
  started_us INTEGER NOT NULL,
  finished_us INTEGER NOT NULL DEFAULT 0,
  passed INTEGER NOT NULL DEFAULT 0,
  failed INTEGER NOT NULL DEFAULT 0,
  skipped INTEGER NOT NULL DEFAULT 0,
  errors INTEGER NOT NULL DEFAULT 0,
  junit_path TEXT NOT NULL DEFAULT ''
);
CREATE INDEX test_runs_by_state ON test_runs (state);

CREATE TABLE test_results (
  run_id TEXT NOT NULL REFERENCES test_runs (id) ON DELETE CASCADE,
  scenario TEXT NOT NULL,
  board TEXT NOT NULL,
  status TEXT NOT NULL,
  reason TEXT NOT NULL DEFAULT '',
  seconds REAL NOT NULL DEFAULT 0,
  build_dir TEXT NOT NULL DEFAULT '',
  log_path TEXT NOT NULL DEFAULT '',
  UNIQUE (run_id, scenario, board)
);

CREATE TABLE test_cases (
  run_id TEXT NOT NULL,
  scenario TEXT NOT NULL,
  board TEXT NOT NULL,
  suite TEXT NOT NULL,
  name TEXT NOT NULL,
  status TEXT NOT NULL,
  seconds REAL NOT NULL DEFAULT 0,
  message TEXT NOT NULL DEFAULT '',
  FOREIGN KEY (run_id, scenario, board) REFERENCES test_results (run_id, scenario, board)
    ON DELETE CASCADE
);
CREATE INDEX test_cases_by_result ON test_cases (run_id, scenario, board);
)sql",
    // 2: decoded target log records (issue 5), in arrival order.
    R"sql(
CREATE TABLE logs (
  id INTEGER PRIMARY KEY,
  time_us INTEGER NOT NULL,
  target_time TEXT NOT NULL DEFAULT '',
  level INTEGER NOT NULL CHECK (level BETWEEN 0 AND 4),
  module TEXT NOT NULL DEFAULT '',
  message TEXT NOT NULL,
  device_id TEXT NOT NULL DEFAULT '',
  source TEXT NOT NULL DEFAULT '',
  build TEXT NOT NULL DEFAULT '',
  job_id TEXT NOT NULL DEFAULT ''
);
CREATE INDEX logs_by_device ON logs (device_id, id);
CREATE INDEX logs_by_time ON logs (time_us);
)sql",
    // 3: physical devices (issue 6): a probe serial bound to a board, with an optional tty that
    // overrides the probe's own virtual COM port; one device per serial.
    R"sql(
ALTER TABLE devices ADD COLUMN tty TEXT NOT NULL DEFAULT '';
CREATE UNIQUE INDEX devices_by_serial ON devices (serial) WHERE serial <> '';
)sql",
    // 4: leases (issue 10, Farm service): a token giving one holder a set of devices until
    // expires_us. Device tags already live in devices.tags (migration 1).
    R"sql(
CREATE TABLE leases (
  token TEXT PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  holder TEXT NOT NULL,
  devices TEXT NOT NULL DEFAULT '[]',
  acquired_us INTEGER NOT NULL,
  expires_us INTEGER NOT NULL,
  duration_ms INTEGER NOT NULL DEFAULT 0,
  note TEXT NOT NULL DEFAULT ''
) WITHOUT ROWID;
CREATE INDEX leases_by_expiry ON leases (expires_us);
)sql",
};

}  // namespace gale::store

#endif  // GALE_STORE_SRC_SCHEMA_H_
