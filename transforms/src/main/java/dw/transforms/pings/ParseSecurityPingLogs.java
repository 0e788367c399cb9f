package dw.transforms.pings;

import dw.geo.GeoInfo;
import dw.geo.GeoLookup;
import dw.geo.GeoLookups;
import dw.transforms.cloudfront.CloudFrontLayout;
import dw.transforms.cloudfront.CloudFrontLine;
import dw.transforms.common.CounterNames;
import dw.transforms.common.DeadLetter;
import dw.transforms.common.RetryingLineReader;
import dw.transforms.daily.ServerDayShard;
import dw.transforms.security.ExclusionRules;
import dw.transforms.security.FilterReason;
import dw.transforms.security.PingClassifier;
import dw.transforms.security.SecurityPing;
import java.io.EOFException;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.ZipException;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * The fused hot path: for each CloudFront log file, stream it (gzip inflated on the fly), split
 * lines, map fields by the file's {@code #Fields} header, classify each line, enrich kept pings
 * with GeoIP and exclusion reasons, and emit each ping at its event time. No intermediate
 * collection of raw lines, one object per kept line.
 *
 * <p>Every line is counted exactly once: {@code header_lines}, {@code parsed_pings}, {@code
 * filtered_<reason>} or {@code dead_lettered} (then also emitted on {@link #DEAD_LETTERS} with file,
 * line number, reason and raw line); their sum is {@code lines_read}. A file whose gzip stream is
 * corrupt or truncated keeps the lines read before the damage and adds one dead letter {@code
 * unreadable_file: …} (counted as one line). Other I/O errors fail the bundle so the runner retries
 * it (a transient storage error must not turn into lost data).
 *
 * <p>Bounded graph ({@link #aggregatingIntoShards}): instead of one element per ping, the step adds
 * each ping to its server-day in a hash map of {@link ServerDayShard}s and emits the shards on
 * {@link #SERVER_DAY_SHARDS} when the map holds {@value #FLUSH_SERVER_DAYS} server-days and at the
 * end of the bundle (on the Flink batch runner: of the worker's whole input), so the runner moves
 * and sorts a few hundred shards instead of a record per ping. Pings are then emitted only when a
 * sink needs them ({@code alsoPings}).
 */
public final class ParseSecurityPingLogs
    extends PTransform<PCollection<MatchResult.Metadata>, PCollectionTuple> {
  public static final String PIPELINE = "security-pings";
  public static final TupleTag<SecurityPing> PINGS = new TupleTag<>("pings") {};
  public static final TupleTag<DeadLetter> DEAD_LETTERS = new TupleTag<>("deadLetters") {};
  public static final TupleTag<KV<Integer, ServerDayShard>> SERVER_DAY_SHARDS =
      new TupleTag<>("serverDayShards") {};
  /** Server-days held in one reading step's map before its shards are emitted. */
  public static final int FLUSH_SERVER_DAYS = 20_000;

  private final ExclusionRules rules;
  private final int fromEpochDay;
  private final int toEpochDay;
  private final String geoipCity;
  private final String geoipAsn;
  private final boolean aggregate;
  private final boolean emitPings;

  private ParseSecurityPingLogs(
      ExclusionRules rules,
      int fromEpochDay,
      int toEpochDay,
      String geoipCity,
      String geoipAsn,
      boolean aggregate,
      boolean emitPings) {
    this.rules = rules;
    this.fromEpochDay = fromEpochDay;
    this.toEpochDay = toEpochDay;
    this.geoipCity = geoipCity;
    this.geoipAsn = geoipAsn;
    this.aggregate = aggregate;
    this.emitPings = emitPings;
  }

  /**
   * @param fromEpochDay first UTC day to keep, or {@link Integer#MIN_VALUE} for no limit
   * @param toEpochDay last UTC day to keep, or {@link Integer#MAX_VALUE} for no limit
   * @param geoipCity City database path, or null/empty for no GeoIP
   */
  public static ParseSecurityPingLogs of(
      ExclusionRules rules, int fromEpochDay, int toEpochDay, String geoipCity, String geoipAsn) {
    return new ParseSecurityPingLogs(rules, fromEpochDay, toEpochDay, geoipCity, geoipAsn, false, true);
  }

  /**
   * For bounded input in the global window: server-day shards on {@link #SERVER_DAY_SHARDS}
   * instead of pings, and pings on {@link #PINGS} as well only when {@code alsoPings}.
   */
  public ParseSecurityPingLogs aggregatingIntoShards(boolean alsoPings) {
    return new ParseSecurityPingLogs(
        rules, fromEpochDay, toEpochDay, geoipCity, geoipAsn, true, alsoPings);
  }

  @Override
  @SuppressWarnings("unchecked")
  public PCollectionTuple expand(PCollection<MatchResult.Metadata> files) {
    if (aggregate && !(files.getWindowingStrategy().getWindowFn() instanceof GlobalWindows)) {
      throw new IllegalArgumentException(
          "server-day shards are built per bundle: the files must be in the global window (bounded input)");
    }
    TupleTag<Object> main = (TupleTag<Object>) (TupleTag<?>) (aggregate ? SERVER_DAY_SHARDS : PINGS);
    TupleTagList more = TupleTagList.of(DEAD_LETTERS);
    if (aggregate && emitPings) {
      more = more.and(PINGS);
    }
    PCollectionTuple out =
        files.apply("ReadParseEnrich", ParDo.of(new ReadFn(this)).withOutputTags(main, more));
    if (emitPings) {
      out.get(PINGS).setCoder(SecurityPingCoder.of());
    }
    if (aggregate) {
      out.get(SERVER_DAY_SHARDS).setCoder(KvCoder.of(VarIntCoder.of(), ServerDayShard.Coder.of()));
    }
    out.get(DEAD_LETTERS).setCoder(DeadLetter.Coder.of());
    return out;
  }

  static final class ReadFn extends DoFn<MatchResult.Metadata, Object> {
    private final ExclusionRules rules;
    private final int fromEpochDay;
    private final int toEpochDay;
    private final String geoipCity;
    private final String geoipAsn;
    private final boolean aggregate;
    private final boolean emitPings;

    private final Counter filesRead = counter(CounterNames.FILES_READ);
    private final Counter filesFailed = counter(CounterNames.FILES_FAILED);
    private final Counter linesRead = counter(CounterNames.LINES_READ);
    private final Counter headerLines = counter(CounterNames.HEADER_LINES);
    private final Counter parsed = counter(CounterNames.PARSED);
    private final Counter deadLettered = counter(CounterNames.DEAD_LETTERED);
    private final Counter[] filtered;

    private transient PingClassifier classifier;
    private transient CloudFrontLine line;
    private transient GeoLookup geo;
    private transient long[] filteredCounts;
    private transient Map<Integer, ServerDayShard> open;
    private transient int openServerDays;

    ReadFn(ParseSecurityPingLogs spec) {
      this.rules = spec.rules;
      this.fromEpochDay = spec.fromEpochDay;
      this.toEpochDay = spec.toEpochDay;
      this.geoipCity = spec.geoipCity;
      this.geoipAsn = spec.geoipAsn;
      this.aggregate = spec.aggregate;
      this.emitPings = spec.emitPings;
      FilterReason[] reasons = FilterReason.values();
      this.filtered = new Counter[reasons.length];
      for (FilterReason r : reasons) {
        filtered[r.ordinal()] = counter(CounterNames.filtered(r.code()));
      }
    }

    private static Counter counter(String name) {
      return Metrics.counter(CounterNames.NAMESPACE, name);
    }

    @Setup
    public void setup() {
      classifier = new PingClassifier(rules, fromEpochDay, toEpochDay).keepRequestIds(emitPings);
      line = new CloudFrontLine();
      geo =
          geoipCity == null || geoipCity.isEmpty()
              ? GeoLookups.none()
              : GeoLookups.shared(geoipCity, geoipAsn == null || geoipAsn.isEmpty() ? null : geoipAsn);
      filteredCounts = new long[filtered.length];
      open = new HashMap<>();
    }

    @StartBundle
    public void startBundle() {
      open.clear();
      openServerDays = 0;
    }

    @FinishBundle
    public void finishBundle(FinishBundleContext c) {
      for (Map.Entry<Integer, ServerDayShard> e : open.entrySet()) {
        c.output(
            SERVER_DAY_SHARDS,
            KV.of(e.getKey(), e.getValue()),
            dayStart(e.getKey()),
            GlobalWindow.INSTANCE);
      }
      open.clear();
      openServerDays = 0;
    }

    private void flush(MultiOutputReceiver out) {
      OutputReceiver<KV<Integer, ServerDayShard>> shardOut = out.get(SERVER_DAY_SHARDS);
      for (Map.Entry<Integer, ServerDayShard> e : open.entrySet()) {
        shardOut.outputWithTimestamp(KV.of(e.getKey(), e.getValue()), dayStart(e.getKey()));
      }
      open.clear();
      openServerDays = 0;
    }

    private static Instant dayStart(int shardKey) {
      return new Instant(ServerDayShard.epochDayOf(shardKey) * 86_400_000L);
    }

    @Override
    @SuppressWarnings("deprecation")
    public Duration getAllowedTimestampSkew() {
      // Pings are emitted at their event time, which is earlier than the time a streaming listing
      // found their file; lateness is handled by the daily windows, not here.
      return Duration.millis(Long.MAX_VALUE);
    }

    @ProcessElement
    public void process(@Element MatchResult.Metadata file, MultiOutputReceiver out)
        throws IOException {
      String name = file.resourceId().toString();
      long lines = 0;
      long headers = 0;
      long pings = 0;
      long dead = 0;
      java.util.Arrays.fill(filteredCounts, 0);
      CloudFrontLayout layout = CloudFrontLayout.STANDARD;
      // After a rejected #Fields header the positions of the lines under it are unknown: they are
      // dead letters (same reason) until the next good #Fields header, never read with a stale layout.
      boolean badLayout = false;
      DoFn.OutputReceiver<SecurityPing> pingOut = emitPings ? out.get(PINGS) : null;
      DoFn.OutputReceiver<DeadLetter> deadOut = out.get(DEAD_LETTERS);
      RetryingLineReader reader = null;
      try {
        reader = RetryingLineReader.open(file.resourceId());
        String raw;
        while (true) {
          try {
            raw = reader.readLine();
          } catch (ZipException | EOFException e) {
            lines++;
            dead++;
            deadOut.output(
                new DeadLetter(PIPELINE, name, lines, "unreadable_file: " + e.getMessage(), ""));
            filesFailed.inc();
            break;
          }
          if (raw == null) {
            break;
          }
          lines++;
          if (CloudFrontLayout.isHeader(raw)) {
            if (CloudFrontLayout.isFieldsHeader(raw)) {
              try {
                layout = CloudFrontLayout.fromFieldsHeader(raw);
                badLayout = false;
              } catch (IllegalArgumentException e) {
                badLayout = true;
                dead++;
                deadOut.output(
                    new DeadLetter(PIPELINE, name, lines, PingClassifier.DEAD_BAD_FIELDS_HEADER, raw));
                continue;
              }
            }
            headers++;
            continue;
          }
          if (badLayout) {
            dead++;
            deadOut.output(
                new DeadLetter(PIPELINE, name, lines, PingClassifier.DEAD_BAD_FIELDS_HEADER, raw));
            continue;
          }
          line.reset(raw, layout);
          switch (classifier.classify(line)) {
            case PING -> {
              GeoInfo g = geo.lookup(classifier.clientIp());
              SecurityPing p =
                  classifier.complete(
                      g.countryIso(),
                      g.countryName(),
                      g.subdivisionIso(),
                      g.subdivisionName(),
                      g.city(),
                      g.asn());
              pings++;
              if (emitPings) {
                pingOut.outputWithTimestamp(p, new Instant(p.eventTimeMillis()));
              }
              if (aggregate
                  && open.computeIfAbsent(
                          ServerDayShard.key(p.logEpochDay(), p.serverId()),
                          k -> new ServerDayShard())
                      .add(p)) {
                openServerDays++;
              }
            }
            case FILTERED -> filteredCounts[classifier.filterReason().ordinal()]++;
            case DEAD -> {
              dead++;
              deadOut.output(new DeadLetter(PIPELINE, name, lines, classifier.deadReason(), raw));
            }
          }
        }
      } catch (ZipException | EOFException e) {
        // not gzip at all, or cut before the first line
        lines++;
        dead++;
        deadOut.output(
            new DeadLetter(PIPELINE, name, lines, "unreadable_file: " + e.getMessage(), ""));
        filesFailed.inc();
      } finally {
        if (reader != null) {
          reader.close();
        }
        // Counters once per file: exact, and nearly free on the per-line path.
        filesRead.inc();
        linesRead.inc(lines);
        headerLines.inc(headers);
        parsed.inc(pings);
        deadLettered.inc(dead);
        for (int i = 0; i < filteredCounts.length; i++) {
          if (filteredCounts[i] > 0) {
            filtered[i].inc(filteredCounts[i]);
          }
        }
      }
      if (aggregate && openServerDays >= FLUSH_SERVER_DAYS) {
        flush(out);
      }
    }
  }
}
