package dw.pipelines.generate;

import java.util.List;

/**
 * The generator's own statement of the domain rules it computes its ground truth with (domain.md §1).
 * Deliberately independent of the project's parser/rules code.
 */
final class GeneratorRules {

  /** Exclusion reason codes, in the stable order used in {@code exclusion_reasons}. */
  static final List<String> REASON_CODES = List.of(
      "ran_unit_tests",
      "custom_build_format",
      "active_users_exceed_registered",
      "invalid_server_id",
      "restricted_ip",
      "excluded_country");

  static final int RAN_UNIT_TESTS = 1;
  static final int CUSTOM_BUILD = 1 << 1;
  static final int AUC_EXCEEDS_UC = 1 << 2;
  static final int INVALID_ID = 1 << 3;
  static final int RESTRICTED_IP = 1 << 4;
  static final int EXCLUDED_COUNTRY = 1 << 5;

  private GeneratorRules() {}

  /** Comma-joined reason codes of a bit set, in {@link #REASON_CODES} order; "" for none. */
  static String reasons(int bits) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < REASON_CODES.size(); i++) {
      if ((bits & (1 << i)) != 0) {
        if (sb.length() > 0) {
          sb.append(',');
        }
        sb.append(REASON_CODES.get(i));
      }
    }
    return sb.toString();
  }

  /**
   * True if {@code b} has one of the four accepted build formats: six parts of 1–2 digits; three parts of 1–2
   * digits; {@code x.y.z.cloud-YYYY-MM-DD-N}; {@code x.y.z.<10+ digits>}.
   */
  static boolean isAcceptedBuild(String b) {
    if (b == null) {
      return false;
    }
    String[] p = b.split("\\.", -1);
    if (p.length < 3 || !small(p[0]) || !small(p[1]) || !small(p[2])) {
      return false;
    }
    if (p.length == 3) {
      return true;
    }
    if (p.length == 6) {
      return small(p[3]) && small(p[4]) && small(p[5]);
    }
    if (p.length != 4) {
      return false;
    }
    String t = p[3];
    if (t.startsWith("cloud-")) {
      // cloud-YYYY-MM-DD-N
      String r = t.substring(6);
      String[] q = r.split("-", -1);
      return q.length == 4 && digits(q[0], 4, 4) && digits(q[1], 2, 2) && digits(q[2], 2, 2)
          && digits(q[3], 1, Integer.MAX_VALUE);
    }
    return digits(t, 10, Integer.MAX_VALUE);
  }

  private static boolean small(String s) {
    return digits(s, 1, 2);
  }

  private static boolean digits(String s, int min, int max) {
    if (s.length() < min || s.length() > max) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }

  /** First {@code n} dot-separated parts of {@code b} joined with dots (fewer if {@code b} has fewer). */
  static String firstParts(String b, int n) {
    int idx = -1;
    for (int i = 0; i < n; i++) {
      idx = b.indexOf('.', idx + 1);
      if (idx < 0) {
        return b;
      }
    }
    return b.substring(0, idx);
  }

  /** "major.minor" of a build. */
  static String majorMinor(String b) {
    return firstParts(b, 2);
  }

  /** "major.minor.patch" of a build (the warehouse's {@code version_full}). */
  static String versionFull(String b) {
    return firstParts(b, 3);
  }

  /** Edition label of the {@code be} parameter: E0 for true, TE for false, Unknown when absent. */
  static String edition(Boolean be) {
    return be == null ? "Unknown" : be ? "E0" : "TE";
  }

  /** Missing or empty attribute values are reported as "unknown". */
  static String orUnknown(String s) {
    return s == null || s.isEmpty() ? "unknown" : s;
  }
}
