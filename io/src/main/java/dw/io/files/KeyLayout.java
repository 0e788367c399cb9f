package dw.io.files;

import java.io.IOException;
import java.util.List;

/**
 * How log objects are named, which is what lets the sources list by time prefix instead of by glob:
 * the time unit a key belongs to (CloudFront: the hour in the file name; load balancers: the day
 * folder), the name part that lists one unit under a <em>log prefix</em>, and how the log prefixes
 * under {@code --input} are discovered.
 *
 * <ul>
 *   <li>{@link #CLOUDFRONT_HOURS}: {@code [<prefix>/]<dist>.YYYY-MM-DD-HH.<id>.gz}; log prefix
 *       {@code …/<dist>.}, one hour is {@code YYYY-MM-DD-HH.}; log prefixes found by a skip-scan
 *       ({@link LogStore#discoverPrefixes}).
 *   <li>{@link #ALB_DAYS}: {@code
 *       [<prefix>/]AWSLogs/<account>/elasticloadbalancing/<region>/YYYY/MM/DD/<account>_elasticloadbalancing_<region>_app.<lb>.<id>_<end>_<ip>_<random>.log.gz};
 *       log prefix {@code …/AWSLogs/<account>/elasticloadbalancing/<region>/}, one day is {@code
 *       YYYY/MM/DD/}; log prefixes found by delimiter listings ({@link AlbKeys#discover}).
 * </ul>
 */
public enum KeyLayout {
  CLOUDFRONT_HOURS {
    @Override
    public long unitMillis() {
      return HOUR_MS;
    }

    @Override
    public String unitName() {
      return "hour";
    }

    @Override
    public long unitStart(String pathOrKey) {
      return CloudFrontKeys.hourStartMillis(pathOrKey);
    }

    @Override
    public long eventStartMillis(String pathOrKey) {
      return unitStart(pathOrKey);
    }

    @Override
    public long eventEndMillis(String pathOrKey) {
      // requests finishing past the hour boundary: a file can hold a few of the next hour
      long h = unitStart(pathOrKey);
      return h < 0 ? -1 : h + 2 * HOUR_MS;
    }

    @Override
    public long firstUnitFor(long eventMillis) {
      return floor(eventMillis) - HOUR_MS;
    }

    @Override
    public String stamp(long unitStart) {
      return CloudFrontKeys.hourStamp(unitStart);
    }

    @Override
    public String timePrefix(long unitStart) {
      return CloudFrontKeys.hourStamp(unitStart) + ".";
    }

    @Override
    public List<String> timePrefixes(long fromUnit, long toUnit) {
      return CloudFrontKeys.timePrefixes(fromUnit, toUnit);
    }

    @Override
    public long[] fileUnitsForDays(long fromEpochDay, long toEpochDay) {
      return CloudFrontKeys.fileHoursForDays(fromEpochDay, toEpochDay);
    }

    @Override
    public List<String> discover(LogStore store) throws IOException {
      return store.discoverPrefixes();
    }
  },

  ALB_DAYS {
    @Override
    public long unitMillis() {
      return DAY_MS;
    }

    @Override
    public String unitName() {
      return "day";
    }

    @Override
    public long unitStart(String pathOrKey) {
      return AlbKeys.dayStartMillis(pathOrKey);
    }

    @Override
    public long eventStartMillis(String pathOrKey) {
      long end = eventEndMillis(pathOrKey);
      return end < 0 ? -1 : Math.max(unitStart(pathOrKey) - FIVE_MINUTES, end - FIVE_MINUTES);
    }

    @Override
    public long firstUnitFor(long eventMillis) {
      return floor(eventMillis);
    }

    @Override
    public long eventEndMillis(String pathOrKey) {
      long day = unitStart(pathOrKey);
      if (day < 0) {
        return -1;
      }
      long end = AlbKeys.intervalEndMillis(pathOrKey);
      // the name's interval end; without one, the latest a file of this day folder can hold
      return end >= 0 ? end : day + DAY_MS;
    }

    @Override
    public String stamp(long unitStart) {
      return AlbKeys.dayFolder(unitStart).substring(0, 10);
    }

    @Override
    public String timePrefix(long unitStart) {
      return AlbKeys.dayFolder(unitStart);
    }

    @Override
    public List<String> timePrefixes(long fromUnit, long toUnit) {
      List<String> out = new java.util.ArrayList<>();
      for (long d = floor(fromUnit); d <= floor(toUnit); d += DAY_MS) {
        out.add(AlbKeys.dayFolder(d));
      }
      return out;
    }

    @Override
    public long[] fileUnitsForDays(long fromEpochDay, long toEpochDay) {
      // A file's folder is the day its 5-minute interval ends: the requests of a day's last
      // minutes are in the next day's first file.
      return new long[] {fromEpochDay * DAY_MS, (toEpochDay + 1) * DAY_MS};
    }

    @Override
    public List<String> discover(LogStore store) throws IOException {
      return AlbKeys.discover(store);
    }
  },


  /**
   * Nightly exports {@code [<prefix>/]<YYYY-MM-DD>/<anything><YYYY-MM-DD>.csv} ({@link
   * dw.transforms.licenses.LicenseFiles}): one unit is one snapshot date; the log prefixes are the
   * date folders under the input (one delimiter listing), each listed whole, and the files are then
   * selected by the date in their names.
   */
  SNAPSHOT_DAYS {
    @Override
    public long unitMillis() {
      return DAY_MS;
    }

    @Override
    public String unitName() {
      return "snapshot date";
    }

    @Override
    public long unitStart(String pathOrKey) {
      int day = dw.transforms.licenses.LicenseFiles.snapshotEpochDay(pathOrKey);
      return day == Integer.MIN_VALUE ? -1 : day * DAY_MS;
    }

    @Override
    public long eventStartMillis(String pathOrKey) {
      return unitStart(pathOrKey);
    }

    @Override
    public long eventEndMillis(String pathOrKey) {
      long day = unitStart(pathOrKey);
      return day < 0 ? -1 : day + DAY_MS;
    }

    @Override
    public long firstUnitFor(long eventMillis) {
      return floor(eventMillis);
    }

    @Override
    public String stamp(long unitStart) {
      return java.time.LocalDate.ofEpochDay(Math.floorDiv(unitStart, DAY_MS)).toString();
    }

    @Override
    public String timePrefix(long unitStart) {
      return stamp(unitStart) + "/";
    }

    @Override
    public List<String> timePrefixes(long fromUnit, long toUnit) {
      return List.of(""); // each discovered date folder is listed whole
    }

    @Override
    public long[] fileUnitsForDays(long fromEpochDay, long toEpochDay) {
      return new long[] {fromEpochDay * DAY_MS, toEpochDay * DAY_MS};
    }

    @Override
    public List<String> discover(LogStore store) throws IOException {
      List<String> out = new java.util.ArrayList<>();
      for (String folder : store.listFolders(store.rootPrefix())) {
        String f = folder.replace('\\', '/');
        String name = f.substring(f.lastIndexOf('/', f.length() - 2) + 1, f.length() - 1);
        if (dw.transforms.licenses.LicenseFiles.epochDay(name) != Integer.MIN_VALUE) {
          out.add(folder);
        }
      }
      return out;
    }
  };

  static final long HOUR_MS = 3_600_000L;
  static final long DAY_MS = 24 * HOUR_MS;
  static final long FIVE_MINUTES = 5 * 60_000L;

  /** Length of one time unit (an hour or a day). */
  public abstract long unitMillis();

  /** "hour" or "day", for messages. */
  public abstract String unitName();

  /** The start of the unit a key or path belongs to (epoch millis, UTC), or -1 if it is not a log of this layout. */
  public abstract long unitStart(String pathOrKey);

  /**
   * The earliest event time a log file can hold (CloudFront: the start of its hour; load
   * balancers: the start of its 5-minute interval), or -1 if it is not a log of this layout.
   */
  public abstract long eventStartMillis(String pathOrKey);

  /** The first unit whose files can hold events at or after {@code eventMillis}. */
  public abstract long firstUnitFor(long eventMillis);

  /**
   * The exclusive end of the event times a log file can hold (CloudFront: the end of the next hour, as
   * requests finishing past the hour boundary are in the file; load balancers: the end of its 5-minute interval from the name), or -1 if it is not a log of
   * this layout.
   */
  public abstract long eventEndMillis(String pathOrKey);

  /** The unit as written in messages ({@code 2026-11-21-23} or {@code 2026/11/21}). */
  public abstract String stamp(long unitStart);

  /** The name part that, appended to a log prefix, lists exactly one unit's files. */
  public abstract String timePrefix(long unitStart);

  /** Name parts that list exactly the files of the units [fromUnit, toUnit] (starts, inclusive). */
  public abstract List<String> timePrefixes(long fromUnit, long toUnit);

  /** {start, endInclusive} of the units whose files can hold requests of the UTC days [from, to]. */
  public abstract long[] fileUnitsForDays(long fromEpochDay, long toEpochDay);

  /** The log prefixes under the store's input. */
  public abstract List<String> discover(LogStore store) throws IOException;

  /** The start of the unit holding {@code millis}. */
  public long floor(long millis) {
    return Math.floorDiv(millis, unitMillis()) * unitMillis();
  }

  /** Load-balancer layout when the input names an {@code AWSLogs} folder, else CloudFront. */
  public static KeyLayout forInput(String input) {
    for (String segment : input.trim().replace('\\', '/').split("/")) {
      if (segment.equals(AlbKeys.AWS_LOGS)) {
        return ALB_DAYS;
      }
    }
    return CLOUDFRONT_HOURS;
  }
}
