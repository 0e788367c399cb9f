package dw.pipelines;

import dw.geo.GeoLookups;
import dw.io.snowflake.SnowflakeOptions;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;

/** Options every pipeline of the suite shares: where results go and where the run summary goes. */
public interface WarehouseOptions extends FlinkPipelineOptions, SnowflakeOptions, AlertOptions {
  @Description(
      "Warehouse to write: jdbc:duckdb:<file> or a path ending in .duckdb (embedded DuckDB,"
          + " the default), or jdbc:postgresql://host:port/db (Beam JdbcIO; credentials from"
          + " DW_WAREHOUSE_USER and DW_WAREHOUSE_PASSWORD or DW_WAREHOUSE_PASSWORD_FILE), or"
          + " snowflake://ACCOUNT/DATABASE/SCHEMA (Beam SnowflakeIO; SNOWFLAKE_* variables and the"
          + " --snowflake* options).")
  @Default.String("./data/warehouse.duckdb")
  String getWarehouse();

  void setWarehouse(String value);

  @Description(
      "Also write the run summary (one JSON line, printed at the end of a bounded run) to this"
          + " file. Empty: print only.")
  @Default.String("")
  String getSummaryFile();

  void setSummaryFile(String value);

  @Description(
      "MaxMind GeoIP2/GeoLite2 City database (.mmdb) used to add country, subdivision and city"
          + " to client IPs. Empty: no GeoIP enrichment (country fields stay null).")
  @Default.String("")
  String getGeoipCityDatabase();

  void setGeoipCityDatabase(String value);

  @Description("Optional MaxMind ASN database (.mmdb) adding the autonomous system number.")
  @Default.String("")
  String getGeoipAsnDatabase();

  void setGeoipAsnDatabase(String value);

  @Description(
      "Hours between checks whether the GeoIP database files were replaced (MaxMind publishes"
          + " twice a week); a streaming job's workers swap in a replaced, valid database without a"
          + " restart and keep the old one if the new file is broken. 0: never check. Backfills"
          + " always use the database they started with.")
  @Default.Integer(GeoLookups.DEFAULT_REFRESH_HOURS)
  int getGeoipRefreshHours();

  void setGeoipRefreshHours(int value);
}
