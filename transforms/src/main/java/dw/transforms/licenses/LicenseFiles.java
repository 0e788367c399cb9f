package dw.transforms.licenses;

/**
 * Names of the nightly license exports: {@code [<input>/]<YYYY-MM-DD>/<anything><YYYY-MM-DD>.csv},
 * one folder per snapshot date holding a file whose name ends in the same date (the original's
 * {@code COPY … FROM @licenses_stage/<date> PATTERN='.*<date>.csv'}).
 */
public final class LicenseFiles {
  private LicenseFiles() {}

  /**
   * The snapshot date (epoch day) of an export's path or key, or {@link Integer#MIN_VALUE} when
   * the folder is not a date or the file name does not end in the same date and {@code .csv}.
   */
  public static int snapshotEpochDay(String pathOrKey) {
    String p = pathOrKey.replace('\\', '/');
    int slash = p.lastIndexOf('/');
    if (slash < 10) {
      return Integer.MIN_VALUE;
    }
    String name = p.substring(slash + 1);
    String folder = p.substring(slash - 10, slash);
    if (slash > 10 && p.charAt(slash - 11) != '/') {
      return Integer.MIN_VALUE;
    }
    if (!name.endsWith(folder + ".csv")) {
      return Integer.MIN_VALUE;
    }
    return epochDay(folder);
  }

  /** Days since 1970-01-01 of {@code YYYY-MM-DD}, or {@link Integer#MIN_VALUE} when it is not a real date. */
  public static int epochDay(String date) {
    if (date.length() != 10 || date.charAt(4) != '-' || date.charAt(7) != '-') {
      return Integer.MIN_VALUE;
    }
    try {
      return (int) java.time.LocalDate.parse(date).toEpochDay();
    } catch (java.time.format.DateTimeParseException e) {
      return Integer.MIN_VALUE;
    }
  }
}
