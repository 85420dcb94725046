# Databricks notebook source
# Loads the raw files of {{ product_name }} from the landing area into {{ schema }}.{{ table }}_raw.
dbutils.widgets.text("catalog", "{{ catalog_prefix }}_dev")
catalog = dbutils.widgets.get("catalog")

raw = spark.read.format("json").load(f"/Volumes/{catalog}/{{ schema }}/landing/")
raw.write.mode("overwrite").saveAsTable(f"{catalog}.{{ schema }}.{{ table }}_raw")
