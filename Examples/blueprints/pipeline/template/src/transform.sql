-- Databricks notebook source
-- Rebuilds {{ schema }}.{{ table }} (defined by contracts/{{ table }}.odcs.yaml) from the raw table: one row per key.
INSERT OVERWRITE {{ schema }}.{{ table }}
SELECT key, CAST(value AS DECIMAL(18,2)) AS value, current_timestamp() AS loaded_at
FROM {{ schema }}.{{ table }}_raw
QUALIFY row_number() OVER (PARTITION BY key ORDER BY ingested_at DESC) = 1;
