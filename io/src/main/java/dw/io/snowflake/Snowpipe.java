package dw.io.snowflake;

import dw.transforms.common.CounterNames;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;
import net.snowflake.ingest.SimpleIngestManager;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.state.BagState;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.TimeDomain;
import org.apache.beam.sdk.state.Timer;
import org.apache.beam.sdk.state.TimerSpec;
import org.apache.beam.sdk.state.TimerSpecs;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.util.MimeTypes;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.io.snowflake.services.SnowflakeBatchServiceConfig;
import org.apache.beam.sdk.io.snowflake.services.SnowflakeServices;
import org.apache.beam.sdk.io.snowflake.services.SnowflakeStreamingServiceConfig;
import org.apache.beam.sdk.io.snowflake.services.SnowflakeStreamingServiceImpl;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;
import org.joda.time.Duration;

/**
 * Appends rows (already as the text of each column) to a Snowflake table through Snowpipe: rows
 * are buffered per shard and, {@link SnowflakeConfig#flushSeconds()} after the first buffered row,
 * staged as one gzip CSV file under {@code <stagingBucket>/stream/<table>/} (SnowflakeIO's CSV
 * format: every value in {@code '}, {@code '} doubled, NULL an empty unquoted field) whose name is
 * then handed to the pipe through SnowflakeIO's streaming service ({@code insertFiles} of the
 * Snowpipe REST API via the ingest SDK's {@code SimpleIngestManager}, key-pair authentication
 * only); the pipe runs its {@code COPY INTO} (ddl.sql). {@link SnowflakeConfig#shards()} shards
 * flush independently. Every file name is new (Snowpipe skips a path it has loaded before).
 *
 * <p>Why not {@code SnowflakeIO.write().withSnowPipe(…)}: with 2.52 on Beam 2.70 and the Flink
 * 1.19 runner its staging step (FileIO windowed writes in the global window under a repeated
 * processing-time trigger) left files of later panes as un-finalized {@code .temp-beam} files,
 * never handed to the pipe, while checkpoints completed: rows were lost in each of four runs of
 * {@code SecurityPingsSnowflakeStreamingTest} (see docs/sinks.md). Its {@code StreamToTableFn.setup} also
 * derives the key only from an encrypted key with a passphrase or a key object, so an unencrypted
 * key file given with {@code withKeyPairPathAuth} would fail ("KeyPair is required for
 * authentication"); we load the key with {@link KeyPairs}. What we keep from SnowflakeIO: its
 * file format and its {@link SnowflakeServices} streaming service (the network boundary the tests
 * replace).
 */
public final class Snowpipe extends PTransform<PCollection<List<String>>, PDone> {
  /** Rows buffered per shard at most; a full buffer is staged at once. */
  static final int FLUSH_ROW_LIMIT = 100_000;

  private final SnowflakeConfig config;
  private final String table;
  private final String pipe;

  private Snowpipe(SnowflakeConfig config, String table, String pipe) {
    this.config = config;
    this.table = table;
    this.pipe = pipe;
  }

  /** Appends to {@code table} through {@code pipe}. */
  public static Snowpipe append(SnowflakeConfig config, String table, String pipe) {
    config.checkStreaming();
    return new Snowpipe(config, table, pipe);
  }

  /** Where the files of {@code table} are staged (ends in '/'). */
  public static String stagingDir(SnowflakeConfig config, String table) {
    return config.stagingBucket() + SnowflakeSql.streamDir(table);
  }

  @Override
  public PDone expand(PCollection<List<String>> rows) {
    rows.apply("IntoGlobalWindow", Window.<List<String>>into(new GlobalWindows()))
        .apply("AssignShard", ParDo.of(new AssignShardFn(config.shards())))
        .setCoder(KvCoder.of(VarIntCoder.of(), ListCoder.of(NullableCoder.of(StringUtf8Coder.of()))))
        .apply("StageAndIngest", ParDo.of(new StageAndIngestFn(config, table, pipe)));
    return PDone.in(rows.getPipeline());
  }

  static final class AssignShardFn extends DoFn<List<String>, KV<Integer, List<String>>> {
    private final int shards;
    private transient int next;

    AssignShardFn(int shards) {
      this.shards = shards;
    }

    @ProcessElement
    public void process(@Element List<String> row, OutputReceiver<KV<Integer, List<String>>> out) {
      next = (next + 1) % shards;
      out.output(KV.of(next, row));
    }
  }

  /** One CSV record as SnowflakeIO's writer makes it. */
  static String csvRecord(List<String> row) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < row.size(); i++) {
      if (i > 0) {
        sb.append(',');
      }
      String v = row.get(i);
      if (v != null) {
        sb.append('\'').append(v.replace("'", "''")).append('\'');
      }
    }
    return sb.append('\n').toString();
  }

  /** Buffers a shard's rows; stages them as one file and hands it to the pipe on a timer. */
  static final class StageAndIngestFn extends DoFn<KV<Integer, List<String>>, Void> {
    private final SnowflakeConfig config;
    private final String table;
    private final String pipe;
    private final Counter files;

    @StateId("rows")
    private final StateSpec<BagState<List<String>>> rowsSpec =
        StateSpecs.bag(ListCoder.of(NullableCoder.of(StringUtf8Coder.of())));

    @StateId("count")
    private final StateSpec<ValueState<Integer>> countSpec = StateSpecs.value(VarIntCoder.of());

    @TimerId("flush")
    private final TimerSpec flushSpec = TimerSpecs.timer(TimeDomain.PROCESSING_TIME);

    private transient SimpleIngestManager ingestManager;
    private transient SnowflakeServices.StreamingService service;

    StageAndIngestFn(SnowflakeConfig config, String table, String pipe) {
      this.config = config;
      this.table = table;
      this.pipe = pipe;
      this.files = Metrics.counter(CounterNames.NAMESPACE, "snowpipe_files_" + table);
    }

    @Setup
    public void setup() throws Exception {
      String host = config.serverName();
      ingestManager =
          new SimpleIngestManager(
              host.substring(0, host.indexOf('.')),
              config.user(),
              config.database() + "." + config.schema() + "." + pipe,
              KeyPairs.load(config.privateKeyFile(), config.privateKeyPassphrase()),
              "https",
              host,
              443);
      service = new Services(config, pipe).getStreamingService();
    }

    @ProcessElement
    public void process(
        @Element KV<Integer, List<String>> e,
        @StateId("rows") BagState<List<String>> rows,
        @StateId("count") ValueState<Integer> count,
        @TimerId("flush") Timer flush)
        throws Exception {
      Integer n = count.read();
      if (n == null || n == 0) {
        flush.offset(Duration.standardSeconds(config.flushSeconds())).setRelative();
        n = 0;
      }
      rows.add(e.getValue());
      count.write(n + 1);
      if (n + 1 >= FLUSH_ROW_LIMIT) {
        stageAndIngest(e.getKey(), rows, count);
      }
    }

    @OnTimer("flush")
    public void onFlush(
        @Key Integer shard,
        @StateId("rows") BagState<List<String>> rows,
        @StateId("count") ValueState<Integer> count)
        throws Exception {
      stageAndIngest(shard, rows, count);
    }

    private void stageAndIngest(Integer shard, BagState<List<String>> rows, ValueState<Integer> count)
        throws Exception {
      Iterator<List<String>> it = rows.read().iterator();
      if (!it.hasNext()) {
        return;
      }
      String dir = stagingDir(config, table);
      String name =
          dir + WriteToSnowflake.FILE_TIME.format(Instant.now()) + "-" + UUID.randomUUID() + "-" + shard + ".csv.gz";
      ResourceId file = FileSystems.matchNewResource(name, false);
      try (OutputStream out =
              new GZIPOutputStream(Channels.newOutputStream(FileSystems.create(file, MimeTypes.BINARY)));
          Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8)) {
        while (it.hasNext()) {
          w.write(csvRecord(it.next()));
        }
      }
      // As SnowflakeIO's own streaming step hands them over: quoted full names.
      service.write(new SnowflakeStreamingServiceConfig(List.of("'" + name + "'"), dir, ingestManager));
      files.inc();
      rows.clear();
      count.clear();
    }
  }

  /**
   * Hands staged files to a pipe. Production: SnowflakeIO's own service (ingest SDK, REST). Tests
   * set {@code --snowflakeSqlExecutor} to a class that also implements this, and load the files
   * as the pipe's COPY INTO would.
   */
  public interface Ingest {
    /**
     * @param stagingDir where the files are (ends in '/')
     * @param files names relative to {@code stagingDir}, as sent to Snowpipe's {@code insertFiles}
     */
    void ingest(SnowflakeConfig config, String pipe, String stagingDir, List<String> files) throws Exception;
  }

  /**
   * Names relative to the staging folder, as SnowflakeIO's Snowpipe service sends them (its file
   * list holds quoted full names, {@code '<stagingDir><name>'}).
   */
  static List<String> relativeNames(String stagingDir, List<String> files) {
    List<String> out = new ArrayList<>();
    for (String f : files) {
      String name = f.replace("'", "");
      out.add(name.startsWith(stagingDir) ? name.substring(stagingDir.length()) : name);
    }
    out.sort(null);
    return out;
  }

  static final class Services implements SnowflakeServices {
    private final SnowflakeConfig config;
    private final String pipe;

    Services(SnowflakeConfig config, String pipe) {
      this.config = config;
      this.pipe = pipe;
    }

    @Override
    public BatchService getBatchService() {
      return new BatchService() {
        @Override
        public String read(SnowflakeBatchServiceConfig c) {
          throw new UnsupportedOperationException("the warehouse sink only writes");
        }

        @Override
        public void write(SnowflakeBatchServiceConfig c) {
          throw new UnsupportedOperationException("unbounded writes load through Snowpipe");
        }
      };
    }

    @Override
    public StreamingService getStreamingService() {
      SnowflakeSqlExecutor executor = SnowflakeSqlExecutor.forConfig(config);
      if (!(executor instanceof Ingest ingest)) {
        return new SnowflakeStreamingServiceImpl();
      }
      return new StreamingService() {
        @Override
        public void write(SnowflakeStreamingServiceConfig c) throws Exception {
          ingest.ingest(
              config, pipe, c.getStagingBucketDir(), relativeNames(c.getStagingBucketDir(), c.getFilesList()));
        }

        @Override
        public String read(SnowflakeStreamingServiceConfig c) {
          throw new UnsupportedOperationException("the warehouse sink only writes");
        }
      };
    }
  }
}
