package dw.io.files;

import dw.transforms.common.CounterNames;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.List;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.MetadataCoderV2;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Impulse;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;

/**
 * Lists the CloudFront log files of a backfill under {@code --input} (a local folder or {@code
 * s3://bucket/prefix}): the files whose names can hold requests of the backfill's days ({@link
 * CloudFrontKeys#fileHoursForDays}).
 *
 * <p>A folder or S3 prefix is listed by time prefix, never by a bucket-wide glob: one delimiter
 * listing finds the distributions' log prefixes ({@link LogStore}), then each prefix is listed for
 * the range's days ({@code <dist>.YYYY-MM-DD-}) and partly covered hours ({@code
 * <dist>.YYYY-MM-DD-HH.}). A single file or a glob as {@code --input} is matched as given. Files
 * under a time prefix that are not named like CloudFront logs are skipped and counted ({@code
 * files_skipped}). Load-balancer logs ({@link KeyLayout#ALB_DAYS}) are listed the same way by day
 * folder. The unbounded source is {@link TailLogFiles}.
 */
public final class ListLogFiles extends PTransform<PBegin, PCollection<MatchResult.Metadata>> {
  public static final String LISTING_REQUESTS = "listing_requests";

  private final String input;
  private final KeyLayout layout;
  private final long fromHourMillis;
  private final long toHourMillis;

  private ListLogFiles(String input, KeyLayout layout, long fromHour, long toHour) {
    this.input = input;
    this.layout = layout;
    this.fromHourMillis = fromHour;
    this.toHourMillis = toHour;
  }

  /** A backfill listing of the CloudFront files that can hold requests of the UTC days [from, to]. */
  public static ListLogFiles forDays(String input, long fromEpochDay, long toEpochDay) {
    return forDays(input, KeyLayout.CLOUDFRONT_HOURS, fromEpochDay, toEpochDay);
  }

  /**
   * The same for any key layout; for load balancers ({@link KeyLayout#ALB_DAYS}) the day folders
   * from {@code from} to {@code to + 1} (a day's last minutes end in the next day's first files),
   * under the account/region folders found by delimiter listings.
   */
  public static ListLogFiles forDays(String input, KeyLayout layout, long fromEpochDay, long toEpochDay) {
    long[] units = layout.fileUnitsForDays(fromEpochDay, toEpochDay);
    return new ListLogFiles(input, layout, units[0], units[1]);
  }

  /** The file pattern for an input: a folder becomes {@code <folder>/**}. */
  public static String filePattern(String input) {
    String in = input.trim();
    if (in.contains("*") || in.contains("?") || in.contains("[")) {
      return in;
    }
    boolean remote = in.matches("^[a-zA-Z][a-zA-Z0-9+.-]*://.*");
    if (!remote && Files.isRegularFile(Paths.get(in))) {
      return Paths.get(in).toAbsolutePath().toString();
    }
    if (!remote) {
      in = Paths.get(in).toAbsolutePath().normalize().toString();
    }
    return in.endsWith("/") ? in + "**" : in + "/**";
  }

  @Override
  public PCollection<MatchResult.Metadata> expand(PBegin begin) {
    PCollection<MatchResult.Metadata> files;
    if (LogStore.listableByPrefix(input)) {
      LogStore store = LogStore.forInput(input);
      files =
          begin
              .apply("Start", Impulse.create())
              .apply("PlanTimePrefixes", ParDo.of(new PlanFn(store, layout, fromHourMillis, toHourMillis)))
              .setCoder(org.apache.beam.sdk.coders.StringUtf8Coder.of())
              .apply("SpreadTimePrefixes", Reshuffle.viaRandomKey())
              .apply("ListTimePrefixes", ParDo.of(new ListFn(store)))
              .setCoder(MetadataCoderV2.of())
              // by size: the reading step ends when its slowest worker does (SpreadFilesBySize)
              .apply("SpreadFiles", new SpreadFilesBySize());
    } else {
      files =
          begin.apply(
              "MatchFiles",
              FileIO.match()
                  .filepattern(filePattern(input))
                  .withEmptyMatchTreatment(EmptyMatchTreatment.ALLOW));
    }
    return files.apply(
        "SelectCloudFrontFiles", ParDo.of(new SelectFn(layout, fromHourMillis, toHourMillis)));
  }

  /** Discovers the log prefixes and emits one name prefix per (log prefix, day or hour). */
  static final class PlanFn extends DoFn<byte[], String> {
    private final LogStore store;
    private final KeyLayout layout;
    private final long fromHour;
    private final long toHour;
    private final Counter requests = Metrics.counter(CounterNames.NAMESPACE, LISTING_REQUESTS);

    PlanFn(LogStore store, KeyLayout layout, long fromHour, long toHour) {
      this.store = store;
      this.layout = layout;
      this.fromHour = fromHour;
      this.toHour = toHour;
    }

    @ProcessElement
    public void process(PipelineOptions options, OutputReceiver<String> out) throws IOException {
      store.open(options);
      long before = store.listingRequests();
      List<String> times = layout.timePrefixes(fromHour, toHour);
      for (String logPrefix : layout.discover(store)) {
        for (String t : times) {
          out.output(logPrefix + t);
        }
      }
      requests.inc(store.listingRequests() - before);
    }
  }

  /** Lists one name prefix. */
  static final class ListFn extends DoFn<String, MatchResult.Metadata> {
    private final LogStore store;
    private final Counter requests = Metrics.counter(CounterNames.NAMESPACE, LISTING_REQUESTS);

    ListFn(LogStore store) {
      this.store = store;
    }

    @ProcessElement
    public void process(
        @Element String namePrefix, PipelineOptions options, OutputReceiver<MatchResult.Metadata> out)
        throws IOException {
      store.open(options);
      long before = store.listingRequests();
      for (MatchResult.Metadata m : store.list(namePrefix)) {
        out.output(m);
      }
      requests.inc(store.listingRequests() - before);
    }
  }

  static final class SelectFn extends DoFn<MatchResult.Metadata, MatchResult.Metadata> {
    private final KeyLayout layout;
    private final long fromHour;
    private final long toHour;
    private final Counter skipped = Metrics.counter(CounterNames.NAMESPACE, CounterNames.FILES_SKIPPED);

    SelectFn(KeyLayout layout, long fromHour, long toHour) {
      this.layout = layout;
      this.fromHour = fromHour;
      this.toHour = toHour;
    }

    @ProcessElement
    public void process(
        @Element MatchResult.Metadata file, OutputReceiver<MatchResult.Metadata> out) {
      if (file.resourceId().isDirectory()) {
        return;
      }
      long hour = layout.unitStart(file.resourceId().toString());
      if (hour < 0) {
        skipped.inc();
        return;
      }
      if (hour >= fromHour && hour <= toHour) {
        out.output(file);
      }
    }
  }
}
