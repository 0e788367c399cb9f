package dw.io.lake;

import dw.transforms.common.CounterNames;
import dw.transforms.privacy.ClientIpPolicy;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.io.Compression;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.parquet.ParquetIO;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.AfterProcessingTime;
import org.apache.beam.sdk.transforms.windowing.AfterWatermark;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.io.WriteFilesResult;
import org.joda.time.Duration;

/**
 * Writes every record of a pipeline to the Parquet lake under {@code <lake>/table=<name>/
 * date=YYYY-MM-DD/hour=HH/} (Hive-style partitions of the UTC event time), through Beam's {@link
 * FileIO#writeDynamic} and {@link ParquetIO#sink} (Snappy) with the table's schema ({@link
 * LakeTable}); client addresses go through the {@link ClientIpPolicy}.
 *
 * <p>Batch: one file set of {@code shards} files per partition, named {@code
 * part-SSSSS-of-NNNNN.parquet}, so re-running a backfill of the same days (with the same shard
 * count) replaces its files instead of adding to them. Streaming: hourly event-time windows fire
 * once when the watermark passes the hour (one file set per partition, {@code
 * part-p0-SSSSS-of-NNNNN.parquet}) and again for late records, at most every {@code lateFiringDelay}, each late pane adding its own small file set
 * ({@code part-p<pane>-…}); panes discard, so every record is written once. The shard count is fixed
 * (no file per bundle).
 */
public final class WriteToLake<T> extends PTransform<PCollection<T>, WriteFilesResult<String>> {
  private final LakeTable<T> table;
  private final String lake;
  private final ClientIpPolicy ips;
  private final int shards;
  private final Duration allowedLateness;
  private final Duration lateFiringDelay;

  private WriteToLake(
      LakeTable<T> table,
      String lake,
      ClientIpPolicy ips,
      int shards,
      Duration allowedLateness,
      Duration lateFiringDelay) {
    this.table = table;
    this.lake = lake;
    this.ips = ips;
    this.shards = shards;
    this.allowedLateness = allowedLateness;
    this.lateFiringDelay = lateFiringDelay;
  }

  /**
   * @param lake a folder or any Beam filesystem URL ({@code s3://…} once its filesystem is on the
   *     classpath)
   * @param shards files per partition (and pane), at least 1
   * @param allowedLateness streaming: how long after an hour late pings are still written
   * @param lateFiringDelay streaming: how long late pings of an hour are gathered into one pane
   */
  public static <T> WriteToLake<T> to(
      LakeTable<T> table,
      String lake,
      ClientIpPolicy ips,
      int shards,
      Duration allowedLateness,
      Duration lateFiringDelay) {
    if (shards < 1) {
      throw new IllegalArgumentException("lake shards must be at least 1, got " + shards);
    }
    return new WriteToLake<>(table, lake, ips, shards, allowedLateness, lateFiringDelay);
  }

  /** The folder of a table: {@code <lake>/table=<name>}. */
  public static String tableRoot(String lake, String table) {
    String base = lake.endsWith("/") ? lake.substring(0, lake.length() - 1) : lake;
    return base + "/table=" + table;
  }

  @Override
  public WriteFilesResult<String> expand(PCollection<T> input) {
    PCollection<KV<String, GenericRecord>> records =
        input
            .apply("ToLakeRecords", ParDo.of(new ToRecordFn<>(table, ips)))
            .setCoder(
                org.apache.beam.sdk.coders.KvCoder.of(
                    StringUtf8Coder.of(), AvroCoder.of(GenericRecord.class, table.schema())));
    if (input.isBounded() == PCollection.IsBounded.UNBOUNDED) {
      records =
          records.apply(
              "WindowIntoHours",
              Window.<KV<String, GenericRecord>>into(FixedWindows.of(Duration.standardHours(1)))
                  .triggering(
                      AfterWatermark.pastEndOfWindow()
                          .withLateFirings(
                              AfterProcessingTime.pastFirstElementInPane().plusDelayOf(lateFiringDelay)))
                  .withAllowedLateness(allowedLateness, Window.ClosingBehavior.FIRE_IF_NON_EMPTY)
                  .discardingFiredPanes());
    }
    return records.apply(
        "WriteParquetFiles",
        FileIO.<String, KV<String, GenericRecord>>writeDynamic()
            .by(KV::getKey)
            .withDestinationCoder(StringUtf8Coder.of())
            .via(
                org.apache.beam.sdk.transforms.Contextful.fn(KV::getValue),
                ParquetIO.sink(table.schema()))
            .to(tableRoot(lake, table.name()))
            .withNaming(PartitionNaming::new)
            .withNumShards(shards)
            .withCompression(Compression.UNCOMPRESSED)); // Parquet compresses inside (Snappy)
  }

  /** {@code date=…/hour=…/part-[p<pane>-]SSSSS-of-NNNNN.parquet}. */
  static final class PartitionNaming implements FileIO.Write.FileNaming {
    private final String partition;

    PartitionNaming(String partition) {
      this.partition = partition;
    }

    @Override
    public String getFilename(
        BoundedWindow window, PaneInfo pane, int numShards, int shardIndex, Compression compression) {
      StringBuilder sb = new StringBuilder(partition).append("/part-");
      if (!(window instanceof GlobalWindow)) {
        sb.append('p').append(pane.getIndex()).append('-');
      }
      return sb.append(String.format("%05d-of-%05d.parquet", shardIndex, numShards)).toString();
    }
  }

  static final class ToRecordFn<T> extends DoFn<T, KV<String, GenericRecord>> {
    private final LakeTable<T> table;
    private final ClientIpPolicy ips;
    private final Counter written;

    ToRecordFn(LakeTable<T> table, ClientIpPolicy ips) {
      this.table = table;
      this.ips = ips;
      this.written = Metrics.counter(CounterNames.NAMESPACE, CounterNames.rowsWritten("lake_" + table.name()));
    }

    @ProcessElement
    public void process(@Element T v, OutputReceiver<KV<String, GenericRecord>> out) {
      out.output(KV.of(LakeSchema.partition(table.eventTimeMillis(v)), table.toRecord(v, ips)));
      written.inc();
    }
  }
}
