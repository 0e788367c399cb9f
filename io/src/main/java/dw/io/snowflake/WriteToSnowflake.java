package dw.io.snowflake;

import dw.io.warehouse.Column;
import dw.io.warehouse.TableBinding;
import dw.io.warehouse.TableSpec;
import dw.transforms.common.CounterNames;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.snowflake.SnowflakeIO;
import org.apache.beam.sdk.io.snowflake.enums.WriteDisposition;
import org.apache.beam.sdk.io.snowflake.services.SnowflakeBatchServiceConfig;
import org.apache.beam.sdk.io.snowflake.services.SnowflakeServices;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;

/**
 * Writes one warehouse table into Snowflake through Beam's {@link SnowflakeIO}. Batch: rows become
 * gzip CSV files staged under {@code <stagingBucket>/<table>/<run>/}, and once all are written one
 * transaction empties {@code <table>_load}, {@code COPY INTO}s it from those files and merges it
 * into the table on its key ({@link SnowflakeSql}). Streaming: each pane's rows are appended to
 * {@code <table>_load} by Snowpipe ({@link Snowpipe}) and the table's task merges them on a
 * schedule (ddl.sql). Either way re-runs and refined panes replace rows, newest version wins.
 * Counter {@code dw:rows_written_<table>} counts rows staged.
 */
public final class WriteToSnowflake<T> extends PTransform<PCollection<T>, PDone> {
  static final DateTimeFormatter FILE_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);
  static final DateTimeFormatter TIMESTAMP =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS").withZone(ZoneOffset.UTC);

  private final SnowflakeConfig config;
  private final TableBinding<T> binding;
  private final String stagingDir;

  private WriteToSnowflake(SnowflakeConfig config, TableBinding<T> binding, String runId) {
    this.config = config;
    this.binding = binding;
    this.stagingDir = config.stagingBucket() + binding.spec().name() + "/" + runId + "/";
  }

  public static <T> WriteToSnowflake<T> to(SnowflakeConfig config, TableBinding<T> binding) {
    String runId =
        DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(Instant.now())
            + "-" + UUID.randomUUID().toString().substring(0, 8);
    return new WriteToSnowflake<>(config, binding, runId);
  }

  /** Where this write stages its files (ends in '/'). */
  public String stagingDir() {
    return stagingDir;
  }

  @Override
  public PDone expand(PCollection<T> input) {
    TableSpec spec = binding.spec();
    PCollection<List<String>> rows =
        input
            .apply("ToLoadRows", ParDo.of(new ToLoadRowsFn<>(binding)))
            .setCoder(ListCoder.of(NullableCoder.of(StringUtf8Coder.of())));
    if (input.isBounded() == PCollection.IsBounded.UNBOUNDED) {
      String table = SnowflakeSql.loadTable(spec);
      return rows.apply(
          "AppendWithSnowpipe", Snowpipe.append(config, table, SnowflakeSql.pipe(table)));
    }
    // SnowflakeIO's batch write reads its file list as a global-window side input and fails on
    // windowed input; the version columns above already order refinements.
    rows = rows.apply("IntoGlobalWindow", Window.<List<String>>into(new GlobalWindows()));
    return rows.apply(
        "StageAndMergeWithSnowflakeIO",
        SnowflakeIO.<List<String>>write()
            .withDataSourceConfiguration(dataSourceConfiguration(config))
            .to(SnowflakeSql.loadTable(spec))
            .withStagingBucketName(stagingDir)
            .withStorageIntegrationName(config.storageIntegration())
            .withWriteDisposition(WriteDisposition.APPEND)
            .withUserDataMapper((SnowflakeIO.UserDataMapper<List<String>>) List::toArray)
            .withSnowflakeServices(new MergeServices(config, spec)));
  }

  /**
   * Turns an element into load-table rows: values as text, plus the version (emitted at, pane
   * index) and, for snapshots, a marker row with the snapshot's row count.
   */
  static final class ToLoadRowsFn<T> extends DoFn<T, List<String>> {
    private final TableBinding<T> binding;
    private final Counter written;

    ToLoadRowsFn(TableBinding<T> binding) {
      this.binding = binding;
      this.written =
          Metrics.counter(CounterNames.NAMESPACE, CounterNames.rowsWritten(binding.spec().name()));
    }

    @ProcessElement
    public void process(@Element T element, PaneInfo pane, OutputReceiver<List<String>> out) {
      TableSpec spec = binding.spec();
      boolean snapshot = spec.mode() == TableSpec.WriteMode.REPLACE_SCOPE;
      String[] version = {TIMESTAMP.format(Instant.now()), String.valueOf(pane.getIndex())};
      long[] n = new long[1];
      binding.rows(
          element,
          row -> {
            out.output(toLoadRow(spec, row, version, snapshot ? "false" : null, null));
            written.inc();
            n[0]++;
          });
      if (snapshot) {
        Object[] marker = new Object[spec.columns().size()];
        marker[spec.indexOf(spec.scopeColumn())] = binding.scope(element);
        out.output(toLoadRow(spec, marker, version, "true", String.valueOf(n[0])));
      }
    }
  }

  /** A load row: the values, the version, and for snapshot tables marker and row count. */
  static List<String> toLoadRow(
      TableSpec spec, Object[] row, String[] version, String marker, String rows) {
    List<String> out = new ArrayList<>(row.length + 4);
    List<Column> cols = spec.columns();
    for (int i = 0; i < row.length; i++) {
      out.add(text(cols.get(i), row[i]));
    }
    out.add(version[0]);
    out.add(version[1]);
    if (marker != null) {
      out.add(marker);
      out.add(rows);
    }
    return out;
  }

  static String text(Column c, Object v) {
    if (v == null) {
      return null;
    }
    return switch (c.type()) {
      case TIMESTAMP -> TIMESTAMP.format((Instant) v);
      default -> v.toString();
    };
  }

  /**
   * SnowflakeIO 2.52's write accepts only this form (its copy step casts the data-source provider
   * to its own class); our services load through {@link SnowflakeSqlExecutor} instead.
   */
  static SnowflakeIO.DataSourceConfiguration dataSourceConfiguration(SnowflakeConfig c) {
    SnowflakeIO.DataSourceConfiguration ds =
        SnowflakeIO.DataSourceConfiguration.create()
            .withServerName(c.serverName())
            .withDatabase(c.database())
            .withSchema(c.schema())
            .withWarehouse(c.warehouse());
    if (c.role() != null) {
      ds = ds.withRole(c.role());
    }
    if (c.privateKeyFile() != null) {
      return c.privateKeyPassphrase() == null
          ? ds.withKeyPairPathAuth(c.user(), c.privateKeyFile())
          : ds.withKeyPairPathAuth(c.user(), c.privateKeyFile(), c.privateKeyPassphrase());
    }
    return ds.withUsernamePasswordAuth(c.user(), c.password());
  }

  /**
   * SnowflakeIO's services with our batch load: COPY INTO the load table, then merge, in one
   * transaction through the config's {@link SnowflakeSqlExecutor}.
   */
  static final class MergeServices implements SnowflakeServices {
    private final SnowflakeConfig config;
    private final TableSpec spec;

    MergeServices(SnowflakeConfig config, TableSpec spec) {
      this.config = config;
      this.spec = spec;
    }

    @Override
    public BatchService getBatchService() {
      return new BatchService() {
        @Override
        public String read(SnowflakeBatchServiceConfig c) {
          throw new UnsupportedOperationException("the warehouse sink only writes");
        }

        @Override
        public void write(SnowflakeBatchServiceConfig c) throws Exception {
          List<String> statements = loadStatements(spec, config, c.getStagingBucketDir(), c.getFilesList());
          if (!statements.isEmpty()) {
            SnowflakeSqlExecutor.forConfig(config).runInTransaction(config, statements);
          }
        }
      };
    }

    @Override
    public StreamingService getStreamingService() {
      throw new UnsupportedOperationException("bounded writes load with COPY INTO, not Snowpipe");
    }
  }

  /** The statements of one load: empty the load table, COPY INTO it, merge. None for no files. */
  public static List<String> loadStatements(
      TableSpec spec, SnowflakeConfig config, String stagingDir, List<String> files) {
    if (files == null || files.isEmpty()) {
      return List.of();
    }
    List<String> relative = new ArrayList<>();
    for (String f : files) {
      relative.add(f.startsWith(stagingDir) ? f.substring(stagingDir.length()) : f.substring(f.lastIndexOf('/') + 1));
    }
    relative.sort(null);
    List<String> out = new ArrayList<>();
    out.add(SnowflakeSql.clearLoadTable(spec));
    out.add(SnowflakeSql.copyInto(spec, stagingDir, config.storageIntegration(), relative));
    out.addAll(SnowflakeSql.merge(spec));
    return out;
  }
}
