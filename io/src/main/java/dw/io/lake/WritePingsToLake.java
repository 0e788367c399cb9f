package dw.io.lake;

import dw.transforms.common.CounterNames;
import dw.transforms.privacy.ClientIpPolicy;
import dw.transforms.security.SecurityPing;
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
 * Writes every parsed, enriched ping to the Parquet lake under {@code <lake>/table=security_pings/
 * date=YYYY-MM-DD/hour=HH/} (Hive-style partitions of the UTC event time), through Beam's {@link
 * FileIO#writeDynamic} and {@link ParquetIO#sink} (Snappy) with the schema of {@link LakeSchema}.
 *
 * <p>Batch: one file set of {@code shards} files per partition, named {@code
 * part-SSSSS-of-NNNNN.parquet}, so re-running a backfill of the same days (with the same shard
 * count) replaces its files instead of adding to them. Streaming: hourly event-time windows fire
 * once when the watermark passes the hour (one file set per partition, {@code
 * part-p0-SSSSS-of-NNNNN.parquet}) and again for late pings (CloudFront delivers up to a day
 * late), at most every {@code lateFiringDelay}, each late pane adding its own small file set
 * ({@code part-p<pane>-…}); panes discard, so every ping is written once. The shard count is fixed
 * (no file per bundle).
 */
public final class WritePingsToLake
    extends PTransform<PCollection<SecurityPing>, WriteFilesResult<String>> {
  private final String lake;
  private final ClientIpPolicy ips;
  private final int shards;
  private final Duration allowedLateness;
  private final Duration lateFiringDelay;

  private WritePingsToLake(
      String lake, ClientIpPolicy ips, int shards, Duration allowedLateness, Duration lateFiringDelay) {
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
  public static WritePingsToLake to(
      String lake, ClientIpPolicy ips, int shards, Duration allowedLateness, Duration lateFiringDelay) {
    if (shards < 1) {
      throw new IllegalArgumentException("lake shards must be at least 1, got " + shards);
    }
    return new WritePingsToLake(lake, ips, shards, allowedLateness, lateFiringDelay);
  }

  /** The folder of the table: {@code <lake>/table=security_pings}. */
  public static String tableRoot(String lake) {
    String base = lake.endsWith("/") ? lake.substring(0, lake.length() - 1) : lake;
    return base + "/table=" + LakeSchema.TABLE;
  }

  @Override
  public WriteFilesResult<String> expand(PCollection<SecurityPing> pings) {
    PCollection<KV<String, GenericRecord>> records =
        pings
            .apply("ToLakeRecords", ParDo.of(new ToRecordFn(ips)))
            .setCoder(
                org.apache.beam.sdk.coders.KvCoder.of(
                    StringUtf8Coder.of(), AvroCoder.of(GenericRecord.class, LakeSchema.schema())));
    if (pings.isBounded() == PCollection.IsBounded.UNBOUNDED) {
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
                ParquetIO.sink(LakeSchema.schema()))
            .to(tableRoot(lake))
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

  static final class ToRecordFn extends DoFn<SecurityPing, KV<String, GenericRecord>> {
    private final ClientIpPolicy ips;
    private final Counter written =
        Metrics.counter(CounterNames.NAMESPACE, CounterNames.rowsWritten("lake_" + LakeSchema.TABLE));

    ToRecordFn(ClientIpPolicy ips) {
      this.ips = ips;
    }

    @ProcessElement
    public void process(@Element SecurityPing p, OutputReceiver<KV<String, GenericRecord>> out) {
      out.output(KV.of(LakeSchema.partition(p.eventTimeMillis()), LakeSchema.toRecord(p, ips)));
      written.inc();
    }
  }
}
