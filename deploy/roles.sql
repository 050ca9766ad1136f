-- Run once per PostgreSQL cluster, as a superuser: psql -v ON_ERROR_STOP=1 -f deploy/roles.sql
-- The database of Finsam and its owner, the role that applies the migrations (`finsam migrate`). The owner is no
-- superuser; it may create roles because migrations 001 and 021 create the roles the programs log in as: finsam_app,
-- finsam_operator and finsam_nightly (LOGIN, no BYPASSRLS: row-level security binds them). The same as scripts/dev-db does for the private development cluster.
SELECT 'CREATE ROLE finsam_owner LOGIN CREATEROLE'
WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'finsam_owner')\gexec
SELECT 'CREATE DATABASE finsam OWNER finsam_owner ENCODING ''UTF8'' TEMPLATE template0'
WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'finsam')\gexec
