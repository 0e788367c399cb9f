package dw.pipelines;

import dw.io.files.ListLogFiles;
import dw.io.tables.ReleaseTables;
import dw.io.tables.SecurityTables;
import dw.io.warehouse.WriteToWarehouse;
import dw.transforms.common.DeadLetter;
import dw.transforms.common.GroupIntoDays;
import dw.transforms.logs.ReadLogFiles;
import dw.transforms.releases.DailyDownloads;
import dw.transforms.releases.DeduplicateDownloads;
import dw.transforms.releases.ReleaseDownload;
import dw.transforms.releases.ReleaseLogFormat;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * {@code releases}: download-CDN CloudFront logs → who downloads which release (bounded).
 *
 * <ol>
 *   <li>ListLogFiles: the CloudFront files under --input whose names can hold requests of
 *       --from..--to (by hour prefix, from 23:00 of the day before).
 *   <li>ParseDownloads: read, inflate, parse by #Fields, keep downloads (GET, 2xx, more than
 *       1 000 000 bytes, a version in the URI), GeoIP, user agent, referrer host; filtered lines
 *       counted by reason, broken lines to the dead letters (one fused step, {@link ReadLogFiles}).
 *   <li>DeduplicateDownloads: one download per x-edge-request-id.
 *   <li>GroupDownloadsIntoDays: the complete list of each day's downloads (empty days too).
 *   <li>WriteDownloads: replace each day in release_downloads.
 *   <li>AggregateDailyDownloads + WriteDailyDownloads: replace each day in release_downloads_daily.
 *   <li>WriteDeadLetters: upsert into dead_letters.
 * </ol>
 */
public final class ReleasesPipeline {
  public static final String NAME = ReleaseLogFormat.PIPELINE;
  static final TupleTag<ReleaseDownload> DOWNLOADS = new TupleTag<>("downloads") {};

  private ReleasesPipeline() {}

  /** The validated configuration. */
  public record Config(LogSettings log) implements LogPipelineCommand.Settings {}

  public static Config validate(ReleasesOptions o) {
    return new Config(validateBounded(o, NAME));
  }

  /** The shared checks, plus what a bounded-only pipeline needs: --from/--to, no lake. */
  static LogSettings validateBounded(LogPipelineOptions o, String name) {
    LogSettings log = LogSettings.validate(o);
    if (!log.bounded()) {
      throw new IllegalArgumentException(
          name + " is a bounded pipeline: give --from and --to (UTC days, YYYY-MM-DD)");
    }
    if (!log.lake().isEmpty()) {
      throw new IllegalArgumentException("--lake: " + name + " writes no lake (only security-pings does)");
    }
    return log;
  }

  public static void checkResources(ReleasesOptions o, Config c) {
    LogPipelineCommand.checkGeoIp(o, c.log());
    WriteToWarehouse.ensureTables(c.log().warehouse(), ReleaseTables.all());
  }

  public static void build(Pipeline p, ReleasesOptions o, Config c) {
    LogSettings log = c.log();
    PCollection<MatchResult.Metadata> files =
        p.apply("ListLogFiles", ListLogFiles.forDays(log.input(), log.fromEpochDay(), log.toEpochDay()));
    PCollectionTuple parsed =
        files.apply(
            "ParseDownloads",
            ReadLogFiles.of(
                new ReleaseLogFormat(
                    log.fromEpochDay(),
                    log.toEpochDay(),
                    o.getGeoipCityDatabase(),
                    o.getGeoipAsnDatabase(),
                    LogPipelineCommand.geoipRefreshHours(o, log),
                    log.clientIps()),
                DOWNLOADS));
    PCollection<KV<Integer, List<ReleaseDownload>>> days =
        parsed
            .get(DOWNLOADS)
            .apply("DeduplicateDownloads", new DeduplicateDownloads())
            .apply(
                "KeyByDay",
                MapElements.into(
                        TypeDescriptors.kvs(TypeDescriptors.integers(), TypeDescriptor.of(ReleaseDownload.class)))
                    .via((ReleaseDownload d) -> KV.of(d.logEpochDay(), d)))
            .setCoder(KvCoder.of(VarIntCoder.of(), ReleaseDownload.Coder.of()))
            .apply(
                "GroupDownloadsIntoDays",
                GroupIntoDays.of(
                    log.fromEpochDay(), log.toEpochDay(), (a, b) -> a.requestId().compareTo(b.requestId())));
    days.apply(
        "WriteDownloads",
        WriteToWarehouse.to(log.warehouse(), new ReleaseTables.DownloadsBinding(log.clientIps())));
    days.apply(
            "AggregateDailyDownloads",
            MapElements.into(TypeDescriptor.of(DailyDownloads.class))
                .via((KV<Integer, List<ReleaseDownload>> d) -> DailyDownloads.of(d.getKey(), d.getValue())))
        .setCoder(DailyDownloads.Coder.of())
        .apply("WriteDailyDownloads", WriteToWarehouse.to(log.warehouse(), new ReleaseTables.DailyBinding()));
    PCollection<DeadLetter> dead = parsed.get(ReadLogFiles.DEAD_LETTERS);
    dead.apply(
        "WriteDeadLetters", WriteToWarehouse.to(log.warehouse(), new SecurityTables.DeadLetterBinding()));
  }
}
