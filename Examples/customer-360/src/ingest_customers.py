# Databricks notebook source
# Loads the nightly CRM extract from the landing volume into crm.customers and crm.customer_addresses.
dbutils.widgets.text("catalog", "c360_dev")
catalog = dbutils.widgets.get("catalog")

raw = spark.read.format("json").load(f"/Volumes/{catalog}/crm/landing/customers/")
raw.select("customer_id", "full_name", "email", "phone", "birth_date", "segment", "status", "created_at") \
    .write.mode("overwrite").saveAsTable(f"{catalog}.crm.customers")
raw.selectExpr("customer_id", "explode(addresses) as a") \
    .selectExpr("customer_id", "a.address_id", "a.street", "a.postal_code", "a.city", "a.country_code") \
    .write.mode("overwrite").saveAsTable(f"{catalog}.crm.customer_addresses")
