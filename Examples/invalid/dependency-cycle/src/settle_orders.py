# Databricks notebook source
# Marks yesterday's paid orders as settled.
spark.sql("UPDATE orders.orders SET status = 'settled' WHERE status = 'paid' AND order_date < current_date()")
