package dw.io.files;

import java.io.IOException;
import java.io.Serializable;
import java.util.List;
import java.util.function.Predicate;
import org.apache.beam.sdk.io.fs.MatchResult;

/**
 * One poll of the unbounded source, independent of the runner: which time units to list, which
 * listed objects are new, which are late. {@link TailLogFiles} runs it inside a splittable DoFn;
 * tests and the benchmark run it directly on a {@link TailState}. The unit is the {@link KeyLayout}'s:
 * an hour for CloudFront (hour prefixes {@code <dist>.YYYY-MM-DD-HH.}), a day for load balancers
 * (day folders {@code …/<region>/YYYY/MM/DD/}); the names below say "hour" for either.
 *
 * <p>With lateness bound L hours and scan band B hours, at clock time {@code now}:
 *
 * <ul>
 *   <li>a unit is open until L hours after its end; open units are [unit(now − L), unit(now)]; the
 *       watermark becomes the oldest open unit (it never goes back);
 *   <li>every log prefix is listed for each open unit and each of the ⌈B / unit⌉ units closed most
 *       recently, but never for units before the job's first open unit;
 *   <li>an object not yet in its unit's seen-set is emitted; it is <em>late</em> if its unit was
 *       already older than the watermark before this poll (it arrived after its unit closed);
 *   <li>units older than (oldest open unit − scan band) are forgotten with their seen-sets.
 * </ul>
 *
 * A file that lands more than L + B hours after its unit is not seen by the source (a backfill of
 * that day reads it).
 */
public final class HourTail implements Serializable {
  private static final long serialVersionUID = 1L;
  static final long HOUR_MS = 3_600_000L;

  private final LogStore store;
  private final KeyLayout layout;
  private final int latenessHours;
  private final int scanHours;

  /** CloudFront hour prefixes. */
  public HourTail(LogStore store, int latenessHours, int scanHours) {
    this(store, KeyLayout.CLOUDFRONT_HOURS, latenessHours, scanHours);
  }

  public HourTail(LogStore store, KeyLayout layout, int latenessHours, int scanHours) {
    if (latenessHours < 0 || scanHours < 0) {
      throw new IllegalArgumentException("lateness and scan hours must be >= 0");
    }
    this.store = store;
    this.layout = layout;
    this.latenessHours = latenessHours;
    this.scanHours = scanHours;
  }

  public LogStore store() {
    return store;
  }

  public KeyLayout layout() {
    return layout;
  }

  /** Receives each new object of a poll ({@code hour}: the start of its unit). */
  public interface Sink {
    void emit(MatchResult.Metadata file, long hour, boolean late);
  }

  /** What one poll did ({@code hoursListed}: units listed; {@code watermarkHour}: oldest open unit's start). */
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
    long newWatermark = Math.max(oldWatermark, layout.floor(nowMillis - latenessHours * HOUR_MS));
    long start = s.startHour == Long.MIN_VALUE ? newWatermark : s.startHour;
    long forgetBefore = newWatermark - Math.floorDiv(scanHours * HOUR_MS + unit - 1, unit) * unit;
    long from = Math.max(start, forgetBefore);
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
          boolean isLate = hour < oldWatermark;
          fresh++;
          late += isLate ? 1 : 0;
          sink.emit(m, hour, isLate);
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
