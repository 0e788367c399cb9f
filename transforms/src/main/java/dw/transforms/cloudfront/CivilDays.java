package dw.transforms.cloudfront;

/** Proleptic Gregorian calendar arithmetic without java.time, for the per-line hot path. */
public final class CivilDays {
  private CivilDays() {}

  /** Days before the first of each month in a non-leap year (index 1..12). */
  private static final int[] DAYS_BEFORE_MONTH = {0, 0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334};

  public static boolean isLeapYear(int year) {
    return (year & 3) == 0 && (year % 100 != 0 || year % 400 == 0);
  }

  /** Leap years in [1, y] (floor semantics, so it also works for y <= 0). */
  private static long leapYearsThrough(long y) {
    return Math.floorDiv(y, 4) - Math.floorDiv(y, 100) + Math.floorDiv(y, 400);
  }

  /** Days since 1970-01-01 of a valid (year, month 1-12, day 1-31) date. */
  public static int epochDay(int year, int month, int day) {
    long yearsDays = 365L * (year - 1970) + leapYearsThrough(year - 1L) - leapYearsThrough(1969);
    int dayOfYear = DAYS_BEFORE_MONTH[month] + day + (month > 2 && isLeapYear(year) ? 1 : 0);
    return (int) (yearsDays + dayOfYear - 1);
  }
}
