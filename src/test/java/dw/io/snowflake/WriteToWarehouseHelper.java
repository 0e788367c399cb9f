package dw.io.snowflake;

import dw.io.warehouse.TableSpec;
import java.util.List;

/** Creates a table and its load table the way the pipeline does before it starts. */
final class WriteToWarehouseHelper {
  private WriteToWarehouseHelper() {}

  static void ensure(SnowflakeConfig cfg, TableSpec spec) {
    try {
      SnowflakeSqlExecutor.forConfig(cfg)
          .runInTransaction(cfg, List.of(SnowflakeSql.createTable(spec), SnowflakeSql.createLoadTable(spec)));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
