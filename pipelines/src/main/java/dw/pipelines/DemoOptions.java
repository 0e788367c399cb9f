package dw.pipelines;

import dw.io.warehouse.WarehouseUrl;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** Options of {@code demo}. */
public interface DemoOptions extends PipelineOptions {
  @Description("Where the demo writes its logs and GeoIP database.")
  @Default.String("./data/demo")
  String getDir();

  void setDir(String value);

  @Description("Servers in the generated data.")
  @Default.Integer(3000)
  int getServers();

  void setServers(int value);

  @Description("The warehouse to write (as the pipelines' --warehouse).")
  @Default.String(WarehouseUrl.DEFAULT_EMBEDDED)
  String getWarehouse();

  void setWarehouse(String value);
}
