#!/bin/sh
# Patroni's post_bootstrap script (deploy/patroni/patroni.yml): run once, on
# the node that initialises the cluster, right after initdb and before any
# replica copies it. Creates Rapporteur's role and database.
#
# $1 is Patroni's connection string to the new primary (as the superuser).
# The role's password comes from RAPPORTEUR_DB_PASSWORD in Patroni's
# environment (set it for the first start of the first node only; see
# deploy/patroni/README.md). Patroni runs this with synchronous_commit=local:
# there is no standby yet to wait for.
set -eu
: "${RAPPORTEUR_DB_PASSWORD:?RAPPORTEUR_DB_PASSWORD is not set in the environment of Patroni: the rapporteur role needs a password}"
psql -X -q -v ON_ERROR_STOP=1 -v password="$RAPPORTEUR_DB_PASSWORD" "$1" <<'SQL'
CREATE ROLE rapporteur LOGIN PASSWORD :'password';
CREATE DATABASE rapporteur OWNER rapporteur;
-- Lets the store see every session's oldest snapshot (standbys' feedback
-- included) before it rewrites a closed secret poll's tables.
GRANT pg_read_all_stats TO rapporteur;
SQL
