package dw.io.warehouse;

import com.fasterxml.jackson.core.JsonGenerator;
import dw.io.snowflake.SnowflakeSql;
import dw.io.snowflake.SnowflakeSqlExecutor;
import dw.io.snowflake.WriteToSnowflake;
import dw.transforms.common.CounterNames;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.StringWriter;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.beam.sdk.io.jdbc.JdbcIO;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Gauge;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;

/**
 * Writes one table of the warehouse chosen by {@code --warehouse}; idempotent (see {@link
 * TableSpec}). DuckDB: rows of new keys appended as they come, the others merged in bulk per
 * bundle ({@link DuckDbStore}). PostgreSQL: Beam
 * {@link JdbcIO} with {@code INSERT … ON CONFLICT … DO UPDATE} (and one atomic replace statement
 * per snapshot for scope tables). Counter {@code dw:rows_written_<table>} counts rows handed to the
 * database.
 */
public final class WriteToWarehouse<T> extends PTransform<PCollection<T>, PDone> {
  private final WarehouseUrl url;
  private final TableBinding<T> binding;

  private WriteToWarehouse(WarehouseUrl url, TableBinding<T> binding) {
    this.url = url;
    this.binding = binding;
  }

  public static <T> WriteToWarehouse<T> to(WarehouseUrl url, TableBinding<T> binding) {
    return new WriteToWarehouse<>(url, binding);
  }

  /**
   * The same write, passing each element on once it is handed to the writer (not once committed):
   * for a step that needs the written elements too. On DuckDB the write and what follows it stay in
   * one Flink task (a single consumer is chained), so the elements are never encoded between them.
   */
  public PassingOn<T> passingOn() {
    return new PassingOn<>(this);
  }

  /** {@link WriteToWarehouse#passingOn}. */
  public static final class PassingOn<T> extends PTransform<PCollection<T>, PCollection<T>> {
    private final WriteToWarehouse<T> write;

    private PassingOn(WriteToWarehouse<T> write) {
      this.write = write;
    }

    @Override
    public PCollection<T> expand(PCollection<T> input) {
      if (write.url.dialect() == Dialect.DUCKDB) {
        return input
            .apply(
                "WriteRowsToDuckDb",
                ParDo.of(new DuckDbWriteFn<>(write.url.duckDbFile(), write.binding, true)))
            .setCoder(input.getCoder());
      }
      write.expand(input); // the plain write's steps, under this step's name
      return input;
    }
  }

  /** Creates every table if missing (called before a pipeline starts, so failures are early). */
  public static void ensureTables(WarehouseUrl url, List<TableSpec> specs) {
    if (url.dialect() == Dialect.DUCKDB) {
      DuckDbStore store = DuckDbStore.open(url.duckDbFile());
      specs.forEach(store::ensureTable);
      return;
    }
    if (url.dialect() == Dialect.SNOWFLAKE) {
      List<String> ddl = new ArrayList<>();
      for (TableSpec s : specs) {
        ddl.add(SnowflakeSql.createTable(s));
        ddl.add(SnowflakeSql.createLoadTable(s));
        ddl.addAll(SnowflakeSql.upgradeTables(s));
      }
      try {
        SnowflakeSqlExecutor.forConfig(url.snowflake()).runInTransaction(url.snowflake(), ddl);
      } catch (IllegalArgumentException e) {
        throw e;
      } catch (Exception e) {
        throw new IllegalStateException(
            "warehouse " + url + ": cannot connect or create tables: " + e.getMessage(), e);
      }
      return;
    }
    // Idempotent DDL: a connection lost at start-up (a restarting server, a killed session) is
    // retried a few times with back-off, like the writes are.
    for (int attempt = 1; ; attempt++) {
      try (Connection c = connect(url);
          Statement st = c.createStatement()) {
        for (TableSpec s : specs) {
          st.execute(s.createTableSql(url.dialect()));
          for (String add : s.addColumnsSql(url.dialect(), s.name())) {
            st.execute(add);
          }
        }
        return;
      } catch (SQLException e) {
        if (attempt >= 5 || !ResilientPostgres.isTransient(e)) {
          throw new IllegalStateException(
              "warehouse " + url + ": cannot connect or create tables: " + e.getMessage(), e);
        }
        try {
          Thread.sleep(250L << attempt);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while connecting to " + url, ie);
        }
      }
    }
  }

  /** A plain JDBC connection with credentials from the environment when set. */
  public static Connection connect(WarehouseUrl url) throws SQLException {
    if (url.dialect() == Dialect.DUCKDB) {
      return DuckDbStore.open(url.duckDbFile()).newConnection();
    }
    Properties p = new Properties();
    if (WarehouseUrl.envUser() != null) {
      p.setProperty("user", WarehouseUrl.envUser());
    }
    if (WarehouseUrl.envPassword() != null) {
      p.setProperty("password", WarehouseUrl.envPassword());
    }
    return DriverManager.getConnection(url.jdbcUrl(), p);
  }

  @Override
  public PDone expand(PCollection<T> input) {
    TableSpec spec = binding.spec();
    if (url.dialect() == Dialect.DUCKDB) {
      input.apply("WriteRowsToDuckDb", ParDo.of(new DuckDbWriteFn<>(url.duckDbFile(), binding, false)));
      return PDone.in(input.getPipeline());
    }
    if (url.dialect() == Dialect.SNOWFLAKE) {
      return input.apply("WriteRowsToSnowflake", WriteToSnowflake.to(url.snowflake(), binding));
    }
    PCollection<T> counted =
        input.apply("CountRows", ParDo.of(new CountRowsFn<>(binding))).setCoder(input.getCoder());
    // Reconnecting connections + retries on connection loss (see ResilientPostgres).
    JdbcIO.Write<T> write =
        JdbcIO.<T>write()
            .withDataSourceProviderFn(
                ResilientPostgres.dataSourceProvider(
                    url.jdbcUrl(), WarehouseUrl.envUser(), WarehouseUrl.envPassword()))
            .withBatchSize(1000)
            .withRetryStrategy(ResilientPostgres.retryStrategy())
            .withRetryConfiguration(ResilientPostgres.retryConfiguration());
    if (spec.mode() == TableSpec.WriteMode.UPSERT) {
      write =
          write
              .withStatement(PostgresSql.upsert(spec))
              .withPreparedStatementSetter(new UpsertSetter<>(binding));
    } else {
      write =
          write
              .withStatement(PostgresSql.replaceScope(spec))
              .withPreparedStatementSetter(new SnapshotSetter<>(binding));
    }
    return counted.apply("WriteRowsWithJdbcIO", write);
  }

  /**
   * What an operator watches of one table's writes: {@code rows_written_<table>} and the freshness
   * gauge {@code newest_event_millis_<table>} (the newest event time written so far by this worker;
   * only for tables whose binding has event times).
   */
  static final class WriteMetrics implements java.io.Serializable {
    private final Counter written;
    private final Gauge newest;
    private long newestMillis = Long.MIN_VALUE;

    WriteMetrics(String table) {
      this.written = Metrics.counter(CounterNames.NAMESPACE, CounterNames.rowsWritten(table));
      this.newest = Metrics.gauge(CounterNames.NAMESPACE, CounterNames.newestEventMillis(table));
    }

    /** {@code rows} rows written whose newest event time is {@code eventMillis} (MIN_VALUE: none). */
    void written(long rows, long eventMillis) {
      written.inc(rows);
      if (eventMillis > newestMillis) {
        newestMillis = eventMillis;
        newest.set(eventMillis);
      }
    }

    /** A write that failed and is not retried (the bundle fails; Flink restarts from a checkpoint). */
    void failed() {
      Metrics.counter(CounterNames.NAMESPACE, CounterNames.WAREHOUSE_WRITE_FAILURES).inc();
    }

    /**
     * Registers the error counters at 0: Beam creates a metric on its first update, and an alert
     * on warehouse errors needs the series to exist while there are none.
     */
    void registerErrorCounters() {
      Metrics.counter(CounterNames.NAMESPACE, CounterNames.WAREHOUSE_WRITE_FAILURES).inc(0);
      Metrics.counter(CounterNames.NAMESPACE, CounterNames.WAREHOUSE_WRITE_RETRIES).inc(0);
    }
  }

  /**
   * Writes rows to DuckDB: an upsert table's rows whose keys the table cannot hold yet go straight
   * into the writer's direct transaction in batches ({@link DuckDbStore#appendNew}); the other rows
   * are buffered per bundle and merged in one transaction ({@link DuckDbStore#write}). Both commit
   * by the end of the bundle.
   */
  static final class DuckDbWriteFn<T> extends DoFn<T, T> {
    /**
     * Rows per transaction of a long bundle (a backfill's is its whole input): fewer rows held on
     * the heap between writes; with the key ledger a smaller batch costs no extra table scans
     * (20 000 instead of 50 000: GC 6.6 → 2.8 s in the 3.4 M-line backfill, docs/performance.md).
     */
    private static final int MAX_PENDING_ROWS = 20_000;
    /** Rows handed to {@link DuckDbStore#appendNew} at a time. */
    static final int DIRECT_BATCH_ROWS = 1_024;
    private final String file;
    private final TableBinding<T> binding;
    private final WriteMetrics metrics;
    /** Whether each element is passed on ({@link WriteToWarehouse#passingOn}). */
    private final boolean passOn;
    private transient DuckDbStore store;
    private transient PendingRows pending;
    private transient long pendingNewest;
    /** Upsert rows not yet offered to the direct transaction. */
    private transient List<Object[]> batch;
    private transient long batchNewest;
    /** Rows appended directly since the last commit, and their newest event time. */
    private transient long appended;
    private transient long appendedNewest;

    DuckDbWriteFn(String file, TableBinding<T> binding, boolean passOn) {
      this.file = file;
      this.binding = binding;
      this.passOn = passOn;
      this.metrics = new WriteMetrics(binding.spec().name());
    }

    @Setup
    public void setup() {
      store = DuckDbStore.open(file);
      store.ensureTable(binding.spec());
      pending = new PendingRows(binding.spec());
      pendingNewest = Long.MIN_VALUE;
      batch = new ArrayList<>(DIRECT_BATCH_ROWS);
      batchNewest = Long.MIN_VALUE;
      appendedNewest = Long.MIN_VALUE;
    }

    @StartBundle
    public void startBundle() {
      metrics.registerErrorCounters();
    }

    @ProcessElement
    public void process(@Element T element, OutputReceiver<T> out) throws SQLException {
      if (passOn) {
        out.output(element);
      }
      long time = binding.eventTimeMillis(element);
      if (binding.spec().mode() == TableSpec.WriteMode.UPSERT) {
        binding.rows(element, batch::add);
        batchNewest = Math.max(batchNewest, time);
        if (batch.size() >= DIRECT_BATCH_ROWS) {
          offerBatch();
        }
        return;
      }
      pendingNewest = Math.max(pendingNewest, time);
      List<Object[]> rows = new ArrayList<>();
      binding.rows(element, rows::add);
      pending.addSnapshot(binding.scope(element), rows);
      if (pending.rowCount() >= MAX_PENDING_ROWS) {
        flush();
      }
    }

    /** Appends the batch's rows of new keys; the others join the pending rows. */
    private void offerBatch() throws SQLException {
      if (batch.isEmpty()) {
        return;
      }
      List<Object[]> rest;
      if (pending.isEmpty()) {
        try {
          rest = store.appendNew(binding.spec(), batch);
        } catch (SQLException | RuntimeException e) {
          metrics.failed();
          throw e;
        }
      } else {
        rest = batch; // keep the order of a key's rows: after a pending row of it, never before
      }
      appended += batch.size() - rest.size();
      appendedNewest = Math.max(appendedNewest, batchNewest);
      for (Object[] row : rest) {
        pending.addRow(row);
      }
      if (!rest.isEmpty()) {
        pendingNewest = Math.max(pendingNewest, batchNewest);
      }
      batch = new ArrayList<>(DIRECT_BATCH_ROWS);
      batchNewest = Long.MIN_VALUE;
      if (pending.rowCount() >= MAX_PENDING_ROWS) {
        flush();
      }
    }

    @FinishBundle
    public void finishBundle() throws SQLException {
      offerBatch();
      flush();
      try {
        store.commitDirect();
      } catch (SQLException | RuntimeException e) {
        metrics.failed();
        throw e;
      }
      if (appended > 0) {
        metrics.written(appended, appendedNewest);
      }
      appended = 0;
      appendedNewest = Long.MIN_VALUE;
    }

    @Teardown
    public void teardown() {
      if (store != null) {
        store.abandonDirect(); // a bundle that did not finish: its rows come again on restart
      }
    }

    private void flush() throws SQLException {
      if (pending.isEmpty()) {
        return;
      }
      int n = pending.rowCount();
      try {
        store.write(pending);
      } catch (SQLException | RuntimeException e) {
        metrics.failed();
        throw e;
      }
      pending.clear();
      metrics.written(n, pendingNewest);
      pendingNewest = Long.MIN_VALUE;
    }
  }

  static final class CountRowsFn<T> extends DoFn<T, T> {
    private final TableBinding<T> binding;
    private final WriteMetrics metrics;

    CountRowsFn(TableBinding<T> binding) {
      this.binding = binding;
      this.metrics = new WriteMetrics(binding.spec().name());
    }

    @StartBundle
    public void startBundle() {
      metrics.registerErrorCounters();
    }

    @ProcessElement
    public void process(@Element T element, OutputReceiver<T> out) {
      int[] n = new int[1];
      binding.rows(element, r -> n[0]++);
      metrics.written(n[0], binding.eventTimeMillis(element));
      out.output(element);
    }
  }

  static final class UpsertSetter<T> implements JdbcIO.PreparedStatementSetter<T> {
    private final TableBinding<T> binding;

    UpsertSetter(TableBinding<T> binding) {
      this.binding = binding;
    }

    @Override
    public void setParameters(T element, PreparedStatement ps) throws Exception {
      List<Column> cols = binding.spec().columns();
      int[] count = new int[1];
      binding.rows(
          element,
          row -> {
            if (count[0]++ > 0) {
              throw new IllegalStateException(
                  binding.spec().name() + ": an upsert element must give exactly one row");
            }
            try {
              for (int i = 0; i < row.length; i++) {
                setValue(ps, i + 1, cols.get(i).type(), row[i]);
              }
            } catch (SQLException e) {
              throw new IllegalStateException(e);
            }
          });
    }
  }

  static final class SnapshotSetter<T> implements JdbcIO.PreparedStatementSetter<T> {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final TableBinding<T> binding;

    SnapshotSetter(TableBinding<T> binding) {
      this.binding = binding;
    }

    @Override
    public void setParameters(T element, PreparedStatement ps) throws Exception {
      TableSpec spec = binding.spec();
      StringWriter sw = new StringWriter();
      try (JsonGenerator g = JSON.getFactory().createGenerator(sw)) {
        g.writeStartArray();
        binding.rows(
            element,
            row -> {
              try {
                g.writeStartObject();
                for (int i = 0; i < row.length; i++) {
                  g.writeFieldName(spec.columns().get(i).name());
                  Object v = row[i];
                  if (v == null) {
                    g.writeNull();
                  } else if (v instanceof Number num) {
                    g.writeNumber(num.longValue());
                  } else if (v instanceof Boolean b) {
                    g.writeBoolean(b);
                  } else {
                    g.writeString(v.toString());
                  }
                }
                g.writeEndObject();
              } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
              }
            });
        g.writeEndArray();
      }
      ps.setString(1, sw.toString());
      Object scope = binding.scope(element);
      setValue(ps, 2, spec.columns().get(spec.indexOf(spec.scopeColumn())).type(), scope);
    }
  }

  static void setValue(PreparedStatement ps, int idx, ColumnType type, Object v)
      throws SQLException {
    if (v == null) {
      ps.setNull(idx, sqlType(type));
      return;
    }
    switch (type) {
      case TEXT -> ps.setString(idx, (String) v);
      case INTEGER -> ps.setInt(idx, ((Number) v).intValue());
      case BIGINT -> ps.setLong(idx, ((Number) v).longValue());
      case BOOLEAN -> ps.setBoolean(idx, (Boolean) v);
      case DATE -> ps.setObject(idx, (LocalDate) v);
      case TIMESTAMP -> ps.setTimestamp(idx, Timestamp.from((Instant) v));
      default -> throw new IllegalStateException("unhandled type " + type);
    }
  }

  private static int sqlType(ColumnType type) {
    return switch (type) {
      case TEXT -> Types.VARCHAR;
      case INTEGER -> Types.INTEGER;
      case BIGINT -> Types.BIGINT;
      case BOOLEAN -> Types.BOOLEAN;
      case DATE -> Types.DATE;
      case TIMESTAMP -> Types.TIMESTAMP;
    };
  }
}
