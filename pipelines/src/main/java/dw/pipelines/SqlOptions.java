package dw.pipelines;

import dw.io.warehouse.WarehouseUrl;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** Options of {@code sql}; the query itself is the one argument that is not an option. */
public interface SqlOptions extends PipelineOptions {
  @Description("The warehouse to query (as the pipelines' --warehouse).")
  @Default.String(WarehouseUrl.DEFAULT_EMBEDDED)
  String getWarehouse();

  void setWarehouse(String value);

  @Description("The SQL query; may also be given as the last argument without an option name.")
  @Default.String("")
  String getQuery();

  void setQuery(String value);
}
