package dw.io.files;

import java.io.IOException;
import java.io.Serializable;
import java.util.List;
import java.util.function.Predicate;
import org.apache.beam.sdk.io.fs.MatchResult;

/**
 * One poll of the unbounded source, independent of the runner: which time units to list, which
 * listed objects are new, and whether each may still be counted. {@link TailLogFiles} runs it inside
 * a splittable DoFn; tests and the benchmark run it directly on a {@link TailState}. The listing unit
 * is the {@link KeyLayout}'s: an hour for CloudFront (hour prefixes {@code <dist>.YYYY-MM-DD-HH.}),
 * a day for load balancers (day folders {@code …/<region>/YYYY/MM/DD/}); the names below say "hour"
 * for either.
 *
 * <p>The time model ({@link Timing}: the pipeline's window size W, allowed lateness L, watermark
 * delay D, scan band B, optional start):
 *
 * <ul>
 *   <li><b>Watermark = estimated completeness.</b> After each complete poll the watermark is {@code
 *       now − D}: events older than that are believed to be in files already listed (CloudFront
 *       delivers most files within the hour, ALB every 5 minutes). It never goes back.
 *   <li><b>One lateness rule.</b> A new object whose earliest possible event falls in a window
 *       that had expired ({@code windowEnd + L <= watermark}) when it was listed is <em>late</em>: it is
 *       not read and not counted (the caller dead-letters it, {@code late_file}). Every other object
 *       is read, and its events land in windows that are still open (on time, or as late panes).
 *       The windows downstream use the same L, so nothing is both dead-lettered and counted.
 *   <li><b>Complete first snapshots.</b> On the first poll of a job (no state) the source starts at
 *       the start of the oldest window that is still open ({@code floor_W(now − D − L)}), or at
 *       {@link Timing#startAtMillis}: every window it writes is read from its beginning. Objects
 *       whose events all lie before the start are never read: on the first poll they are history
 *       (counted as skipped); later they are dead-lettered {@code before_start} (a backfill reads
 *       them).
 *   <li><b>Bounded listing.</b> Each poll lists the units that can still hold counted files plus a
 *       scan band B of older units (to dead-letter late files instead of never seeing them); older
 *       units are forgotten with their seen-sets, so the state is proportional to about L + B of
 *       files, never to history.
 * </ul>
 */
public final class HourTail implements Serializable {
  private static final long serialVersionUID = 1L;
  static final long HOUR_MS = 3_600_000L;

  /**
   * The time model of one pipeline's source.
   *
   * @param windowMillis the pipeline's event-time window (a day for security pings, an hour for
   *     push-proxy)
   * @param latenessMillis the windows' allowed lateness
   * @param watermarkDelayMillis how far the watermark trails the clock
   * @param scanMillis how long units stay listed after they can no longer hold counted files
   * @param startAtMillis where a first start begins (floored to a window), or {@link
   *     Long#MIN_VALUE} for the oldest open window
   */
  public record Timing(
      long windowMillis,
      long latenessMillis,
      long watermarkDelayMillis,
      long scanMillis,
      long startAtMillis)
      implements Serializable {
    public Timing {
      if (windowMillis <= 0 || latenessMillis < 0 || watermarkDelayMillis < 0 || scanMillis < 0) {
        throw new IllegalArgumentException(
            "window must be positive; lateness, watermark delay and scan band not negative");
      }
    }

    /** Whole-hour settings without an explicit start. */
    public static Timing hours(long windowMillis, int latenessHours, long watermarkDelayMillis, int scanHours) {
      return new Timing(
          windowMillis, latenessHours * HOUR_MS, watermarkDelayMillis, scanHours * HOUR_MS, Long.MIN_VALUE);
    }

    public Timing startingAt(long millis) {
      return new Timing(windowMillis, latenessMillis, watermarkDelayMillis, scanMillis, millis);
    }

    long floorWindow(long millis) {
      return Math.floorDiv(millis, windowMillis) * windowMillis;
    }

    /** The end of the window holding {@code eventMillis}. */
    public long windowEnd(long eventMillis) {
      return floorWindow(eventMillis) + windowMillis;
    }

    /** Whether the window of {@code eventMillis} has expired at {@code watermark}. */
    public boolean expired(long eventMillis, long watermark) {
      return watermark != Long.MIN_VALUE && windowEnd(eventMillis) + latenessMillis <= watermark;
    }

    /** Start of the oldest window still open at {@code watermark}. */
    public long oldestOpenWindow(long watermark) {
      return floorWindow(watermark - latenessMillis);
    }
  }

  /** What the source does with a new object. */
  public enum Verdict {
    /** read and counted */
    READ,
    /** its window had expired when it was listed: dead letter {@code late_file}, not read */
    LATE,
    /** all its events lie before the stream's start: dead letter {@code before_start}, not read */
    BEFORE_START
  }

  private final LogStore store;
  private final KeyLayout layout;
  private final Timing timing;

  public HourTail(LogStore store, KeyLayout layout, Timing timing) {
    this.store = store;
    this.layout = layout;
    this.timing = timing;
  }

  public LogStore store() {
    return store;
  }

  public KeyLayout layout() {
    return layout;
  }

  public Timing timing() {
    return timing;
  }

  /** Receives each new object of a poll ({@code hour}: the start of its unit). */
  public interface Sink {
    void emit(MatchResult.Metadata file, long hour, Verdict verdict);
  }

  /**
   * What one poll did ({@code hoursListed}: units listed; {@code watermarkHour}: the watermark after
   * the poll, epoch millis; {@code skippedFiles}: objects that are not logs of the layout, or
   * history before a first start).
   */
  public record Report(
      boolean complete,
      int prefixes,
      int hoursListed,
      long listingRequests,
      int newFiles,
      int lateFiles,
      int skippedFiles,
      long watermarkHour) {}

  /** Polls once, recording everything in {@code s} directly (tests, tools, the benchmark). */
  public Report poll(TailState s, long nowMillis, Sink sink) throws IOException {
    return poll(
        s,
        nowMillis,
        c -> {
          s.apply(c);
          return true;
        },
        sink);
  }

  /**
   * Polls once. {@code claim} records each step in the state (a restriction tracker's tryClaim);
   * when it refuses, the poll stops where it is ({@code complete = false}) and the next poll
   * continues from the recorded state.
   */
  public Report poll(TailState s, long nowMillis, Predicate<TailState.TailClaim> claim, Sink sink)
      throws IOException {
    long unit = layout.unitMillis();
    long nowHour = layout.floor(nowMillis);
    long oldWatermark = s.watermarkHour;
    long newWatermark = Math.max(oldWatermark, nowMillis - timing.watermarkDelayMillis());
    boolean first = s.startHour == Long.MIN_VALUE;
    long start =
        !first
            ? s.startHour
            : timing.startAtMillis() != Long.MIN_VALUE
                ? timing.floorWindow(timing.startAtMillis())
                : timing.oldestOpenWindow(newWatermark);
    long forgetBefore = layout.floor(timing.oldestOpenWindow(newWatermark) - timing.scanMillis());
    long firstUnit = layout.firstUnitFor(start);
    long from = first ? firstUnit : Math.max(firstUnit, forgetBefore);
    long before = store.listingRequests();
    List<String> prefixes = layout.discover(store);
    int hours = 0;
    int fresh = 0;
    int late = 0;
    int skipped = 0;
    for (long hour = from; hour <= nowHour; hour += unit) {
      hours++;
      String stamp = layout.timePrefix(hour);
      for (String prefix : prefixes) {
        for (MatchResult.Metadata m : store.list(prefix + stamp)) {
          String key = m.resourceId().toString();
          if (s.contains(hour, key)) {
            continue;
          }
          if (!claim.test(TailState.TailClaim.object(hour, key))) {
            return report(false, prefixes, hours, before, fresh, late, skipped, s.watermarkHour);
          }
          if (layout.unitStart(key) != hour) {
            skipped++; // under a time prefix but not a log name of the layout: remembered, not read
            continue;
          }
          long lastEvent = layout.eventEndMillis(key) - 1;
          Verdict v;
          if (lastEvent < start) {
            if (first) {
              skipped++; // history before the first start: a backfill's job
              continue;
            }
            v = Verdict.BEFORE_START;
          } else {
            // late when the window of its earliest event had expired: then none of it is read,
            // rather than part of it being dropped by the windows
            v = timing.expired(layout.eventStartMillis(key), oldWatermark) ? Verdict.LATE : Verdict.READ;
          }
          fresh++;
          late += v == Verdict.READ ? 0 : 1;
          sink.emit(m, hour, v);
        }
      }
    }
    if (!claim.test(TailState.TailClaim.endOfPoll(newWatermark, start, forgetBefore))) {
      return report(false, prefixes, hours, before, fresh, late, skipped, s.watermarkHour);
    }
    return report(true, prefixes, hours, before, fresh, late, skipped, newWatermark);
  }

  private Report report(
      boolean complete, List<String> prefixes, int hours, long before, int fresh, int late, int skipped, long wm) {
    return new Report(
        complete, prefixes.size(), hours, store.listingRequests() - before, fresh, late, skipped, wm);
  }
}
