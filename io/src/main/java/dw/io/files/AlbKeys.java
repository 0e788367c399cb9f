package dw.io.files;

import java.io.IOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * Load-balancer (ALB) access-log object names: {@code
 * [<prefix>/]AWSLogs/<account>/elasticloadbalancing/<region>/YYYY/MM/DD/<account>_elasticloadbalancing_<region>_app.<lb-name>.<lb-id>_<end-time YYYYMMDDTHHMMZ>_<lb-ip>_<random>.log.gz}.
 * The day folder is the UTC day of the end of the file's 5-minute interval; the streaming source
 * and backfills list by day folder.
 */
public final class AlbKeys {
  static final String AWS_LOGS = "AWSLogs";
  static final String ELB = "elasticloadbalancing";
  private static final long DAY_MS = 86_400_000L;
  /** The folders below {@code AWSLogs}: account, the service, region ("*": any folder). */
  private static final String[] BELOW_AWS_LOGS = {"*", ELB, "*"};

  private AlbKeys() {}

  /**
   * The start (UTC epoch millis) of the day folder of a load-balancer log, or -1 when the path is
   * not {@code …/elasticloadbalancing/<region>/YYYY/MM/DD/<…>_elasticloadbalancing_<…>.log[.gz]}.
   */
  public static long dayStartMillis(String pathOrKey) {
    String[] s = pathOrKey.replace('\\', '/').split("/");
    int n = s.length;
    if (n < 6 || !s[n - 6].equals(ELB)) {
      return -1;
    }
    String name = s[n - 1];
    if (!name.contains("_" + ELB + "_") || !(name.endsWith(".log.gz") || name.endsWith(".log"))) {
      return -1;
    }
    int y = number(s[n - 4], 4);
    int m = number(s[n - 3], 2);
    int d = number(s[n - 2], 2);
    if (y < 0 || m < 1 || m > 12 || d < 1 || d > java.time.YearMonth.of(y, m).lengthOfMonth()) {
      return -1;
    }
    return LocalDate.of(y, m, d).toEpochDay() * DAY_MS;
  }

  /**
   * The end of a load-balancer log's 5-minute interval from its name ({@code …_YYYYMMDDTHHMMZ_…}),
   * or -1 when the name has none.
   */
  public static long intervalEndMillis(String pathOrKey) {
    String name = pathOrKey.substring(pathOrKey.replace('\\', '/').lastIndexOf('/') + 1);
    for (int i = name.indexOf('_'); i >= 0 && i + 15 < name.length(); i = name.indexOf('_', i + 1)) {
      if (name.charAt(i + 9) == 'T' && name.charAt(i + 14) == 'Z' && name.charAt(i + 15) == '_') {
        int y = CloudFrontKeys.digits(name, i + 1, 4);
        int mo = CloudFrontKeys.digits(name, i + 5, 2);
        int d = CloudFrontKeys.digits(name, i + 7, 2);
        int h = CloudFrontKeys.digits(name, i + 10, 2);
        int mi = CloudFrontKeys.digits(name, i + 12, 2);
        if (y >= 0 && mo >= 1 && mo <= 12 && d >= 1 && d <= 31 && h >= 0 && h < 24 && mi >= 0 && mi < 60) {
          try {
            return LocalDate.of(y, mo, d).toEpochDay() * DAY_MS + h * 3_600_000L + mi * 60_000L;
          } catch (java.time.DateTimeException e) {
            return -1;
          }
        }
      }
    }
    return -1;
  }

  private static int number(String s, int len) {
    return s.length() == len ? CloudFrontKeys.digits(s, 0, len) : -1;
  }

  /** {@code YYYY/MM/DD/} of a day start (UTC). */
  public static String dayFolder(long dayStartMillis) {
    LocalDate d = LocalDate.ofEpochDay(Math.floorDiv(dayStartMillis, DAY_MS));
    return String.format("%04d/%02d/%02d/", d.getYear(), d.getMonthValue(), d.getDayOfMonth());
  }

  /**
   * The region folders ({@code …/AWSLogs/<account>/elasticloadbalancing/<region>/}) under the
   * store's input, by delimiter listings: one for the accounts under {@code AWSLogs/} and one per
   * account for its regions (fewer when the input already names an account or region). Never
   * lists files.
   */
  static List<String> discover(LogStore store) throws IOException {
    String root = store.rootPrefix();
    String[] segs = root.replace('\\', '/').split("/");
    int at = -1;
    for (int i = 0; i < segs.length; i++) {
      if (segs[i].equals(AWS_LOGS)) {
        at = i;
      }
    }
    List<String> level = new ArrayList<>();
    int next; // index into BELOW_AWS_LOGS of the first folder not yet named by the input
    if (at < 0) {
      level.add(root + AWS_LOGS + "/");
      next = 0;
    } else {
      level.add(root);
      next = segs.length - at - 1;
      if (next > BELOW_AWS_LOGS.length) {
        return List.of(); // the input is inside a region folder: not a tail root
      }
    }
    for (int j = next; j < BELOW_AWS_LOGS.length; j++) {
      List<String> deeper = new ArrayList<>();
      for (String p : level) {
        if (BELOW_AWS_LOGS[j].equals("*")) {
          deeper.addAll(store.listFolders(p));
        } else {
          deeper.add(p + BELOW_AWS_LOGS[j] + "/");
        }
      }
      level = deeper;
    }
    return level;
  }
}
