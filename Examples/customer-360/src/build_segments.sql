-- Databricks notebook source
-- Recomputes customer segments from the last 90 days of interactions.
MERGE INTO crm.customers AS c
USING (
  SELECT customer_id, CASE WHEN count(*) >= 20 THEN 'premium' ELSE 'standard' END AS segment
  FROM engagement.interactions
  WHERE occurred_at >= current_timestamp() - INTERVAL 90 DAYS
  GROUP BY customer_id
) AS s
ON c.customer_id = s.customer_id
WHEN MATCHED THEN UPDATE SET c.segment = s.segment;
