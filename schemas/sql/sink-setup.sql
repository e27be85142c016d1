-- KafkaCdc sink setup, run by an administrator on the destination database:
--   psql -v user=kafkacdc_user -v password='...' -v schema=kafkacdc -d <database> -f schemas/sql/sink-setup.sql
-- The seed's privilege script: the connector creates and alters tables in its schema, and writes rows.
\set ON_ERROR_STOP on

CREATE USER :"user" WITH PASSWORD :'password';

CREATE SCHEMA :"schema";
GRANT USAGE, CREATE ON SCHEMA :"schema" TO :"user";

GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA :"schema" TO :"user";
