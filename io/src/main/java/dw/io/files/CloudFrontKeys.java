package dw.io.files;

/**
 * CloudFront standard-log object names: {@code [<prefix>/]<distribution-id>.YYYY-MM-DD-HH.<unique-id>.gz}.
 * The hour in the name is the hour the requests happened, even when the file is delivered late,
 * which is what lets a backfill pick files by name and a streaming source list by hour prefix.
 */
public final class CloudFrontKeys {
  private static final long HOUR_MS = 3_600_000L;

  private CloudFrontKeys() {}

  /**
   * The start of the hour named by a CloudFront log file (epoch millis, UTC), or -1 when the last
   * path segment is not a CloudFront log name.
   */
  public static long hourStartMillis(String pathOrKey) {
    int slash = Math.max(pathOrKey.lastIndexOf('/'), pathOrKey.lastIndexOf('\\'));
    String name = pathOrKey.substring(slash + 1);
    int d1 = name.indexOf('.');
    if (d1 <= 0) {
      return -1;
    }
    int d2 = name.indexOf('.', d1 + 1);
    if (d2 < 0 || d2 - d1 - 1 != 13) {
      return -1;
    }
    int d3 = name.indexOf('.', d2 + 1);
    String id = d3 < 0 ? name.substring(d2 + 1) : name.substring(d2 + 1, d3);
    if (id.isEmpty() || (d3 < 0 && id.equals("gz"))) {
      return -1; // "<dist>.<hour>.gz" lacks the unique id
    }
    if (d3 >= 0) {
      String ext = name.substring(d3 + 1);
      if (!ext.equals("gz")) {
        return -1;
      }
    }
    // YYYY-MM-DD-HH
    int p = d1 + 1;
    int y = digits(name, p, 4);
    int m = name.charAt(p + 4) == '-' ? digits(name, p + 5, 2) : -1;
    int d = name.charAt(p + 7) == '-' ? digits(name, p + 8, 2) : -1;
    int h = name.charAt(p + 10) == '-' ? digits(name, p + 11, 2) : -1;
    if (y < 0 || m < 1 || m > 12 || d < 1 || h < 0 || h > 23) {
      return -1;
    }
    if (d > java.time.YearMonth.of(y, m).lengthOfMonth()) {
      return -1;
    }
    long day = java.time.LocalDate.of(y, m, d).toEpochDay();
    return day * 24 * HOUR_MS + h * HOUR_MS;
  }

  /** The decimal value of {@code s[from, from + n)}, or -1 unless all are digits. */
  static int digits(String s, int from, int n) {
    int v = 0;
    for (int i = from; i < from + n; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }

  /**
   * The hours whose files can hold requests of the UTC days [fromDay, toDay]: from 23:00 of the
   * day before (a request logged just past an hour boundary lands in the previous hour's file)
   * through 23:00 of the last day. Returns {startMillis, endMillisInclusive} of file hours.
   */
  public static long[] fileHoursForDays(long fromEpochDay, long toEpochDay) {
    long start = fromEpochDay * 24 * HOUR_MS - HOUR_MS;
    long end = toEpochDay * 24 * HOUR_MS + 23 * HOUR_MS;
    return new long[] {start, end};
  }

  /** {@code YYYY-MM-DD-HH} of an hour start (UTC), as in CloudFront log names. */
  public static String hourStamp(long hourStartMillis) {
    java.time.LocalDateTime t =
        java.time.LocalDateTime.ofEpochSecond(Math.floorDiv(hourStartMillis, 1000L), 0, java.time.ZoneOffset.UTC);
    return String.format(
        "%04d-%02d-%02d-%02d", t.getYear(), t.getMonthValue(), t.getDayOfMonth(), t.getHour());
  }

  /** The start of the hour holding {@code millis}. */
  public static long hourFloor(long millis) {
    return Math.floorDiv(millis, HOUR_MS) * HOUR_MS;
  }

  /**
   * The name parts to append to a log prefix ({@code <…>/<dist>.}) to list exactly the files of
   * the hours [fromHour, toHour] (hour starts, inclusive): {@code YYYY-MM-DD-} for whole days,
   * {@code YYYY-MM-DD-HH.} for the hours of partly covered days.
   */
  public static java.util.List<String> timePrefixes(long fromHourMillis, long toHourMillis) {
    java.util.List<String> out = new java.util.ArrayList<>();
    long h = hourFloor(fromHourMillis);
    long end = hourFloor(toHourMillis);
    long day = 24 * HOUR_MS;
    while (h <= end) {
      if (Math.floorMod(h, day) == 0 && h + 23 * HOUR_MS <= end) {
        out.add(hourStamp(h).substring(0, 11)); // "YYYY-MM-DD-"
        h += day;
      } else {
        out.add(hourStamp(h) + ".");
        h += HOUR_MS;
      }
    }
    return out;
  }
}
