-- KafkaCdc source setup, run by an administrator on the source database:
--   psql -v user=kafkacdc_user -v password='...' -v schema=public -d <database> -f schemas/sql/source-setup.sql
-- It follows the seed's setup (user and role, signal table, heartbeat table, publication, slot) with
-- KafkaCdc's default names. Every statement is also fine to run by hand, one at a time.
\set ON_ERROR_STOP on
SELECT current_database() AS database \gset

-- 1. A user and a role for the connector.
CREATE USER :"user" PASSWORD :'password';
CREATE ROLE kafkacdc_role NOLOGIN;
GRANT kafkacdc_role TO :"user";

GRANT CONNECT ON DATABASE :"database" TO kafkacdc_role;
GRANT CREATE, USAGE ON SCHEMA :"schema" TO kafkacdc_role;
GRANT SELECT ON ALL TABLES IN SCHEMA :"schema" TO kafkacdc_role;
ALTER DEFAULT PRIVILEGES IN SCHEMA :"schema" GRANT SELECT ON TABLES TO kafkacdc_role;
-- CREATE on the database lets the connector create its publication (publication.autocreate.mode);
-- not needed when you create the publication yourself (step 4).
GRANT CREATE ON DATABASE :"database" TO kafkacdc_role;

ALTER USER :"user" WITH REPLICATION;

-- 2. Signal table (incremental snapshots; not needed with read.only=true).
CREATE SCHEMA IF NOT EXISTS kafkacdc;
CREATE TABLE kafkacdc.kafkacdc_signal (
  id VARCHAR(255) PRIMARY KEY,
  type VARCHAR(32) NOT NULL,
  data VARCHAR(2000) NULL
);
GRANT CREATE, USAGE ON SCHEMA kafkacdc TO kafkacdc_role;
GRANT SELECT ON ALL TABLES IN SCHEMA kafkacdc TO kafkacdc_role;
GRANT SELECT, UPDATE, INSERT, DELETE ON TABLE kafkacdc.kafkacdc_signal TO kafkacdc_role;

-- 3. Heartbeat table (heartbeat.action=table; read-only connections: see README for the pg_cron job).
CREATE TABLE kafkacdc.kafkacdc_heartbeat (
  id SERIAL PRIMARY KEY,
  text TEXT,
  last_update TIMESTAMP DEFAULT CURRENT_TIMESTAMP
);
GRANT SELECT, UPDATE, INSERT, DELETE ON TABLE kafkacdc.kafkacdc_heartbeat TO :"user";
GRANT USAGE ON SEQUENCE kafkacdc.kafkacdc_heartbeat_id_seq TO :"user";
INSERT INTO kafkacdc.kafkacdc_heartbeat (text) VALUES ('test_heartbeat');

-- 4. Publication: all tables, or (alternative, shown commented) selected tables plus the signal and
--    heartbeat tables. publish_via_partition_root makes partitioned tables appear under their root.
CREATE PUBLICATION kafkacdc_pub FOR ALL TABLES WITH (publish_via_partition_root = true);
-- CREATE PUBLICATION kafkacdc_pub FOR TABLE table1, table2, kafkacdc.kafkacdc_signal, kafkacdc.kafkacdc_heartbeat
--   WITH (publish_via_partition_root = true);
-- SELECT * FROM pg_publication_tables WHERE pubname = 'kafkacdc_pub';

-- 5. Replication slot (the connector creates it when missing and the user has REPLICATION).
SELECT pg_create_logical_replication_slot('kafkacdc_slot', 'pgoutput');
SELECT count(*) FROM pg_logical_slot_peek_binary_changes('kafkacdc_slot', null, null,
  'proto_version', '1', 'publication_names', 'kafkacdc_pub');
