package dw.transforms.security;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Why a security ping (and so its server, for that day) is left out of the totals. A ping carries
 * a bit mask of reasons; the codes and bit values are stable (stored in tables) and must never be
 * renumbered. New reasons get new bits at the end.
 */
public enum ExclusionReason {
  /** {@code ut=1}: the server ran unit tests ("Ran Tests"). */
  RAN_UNIT_TESTS("ran_unit_tests", 1),
  /** {@code b} matches none of the accepted build formats ("Custom Build Version Format"). */
  CUSTOM_BUILD_FORMAT("custom_build_format", 1 << 1),
  /** {@code auc > uc}, both present ("Active Users > Registered Users"). */
  ACTIVE_EXCEEDS_REGISTERED("active_users_exceed_registered", 1 << 2),
  /** Server id is not 26 characters long ("Invalid server id"). */
  INVALID_SERVER_ID("invalid_server_id", 1 << 3),
  /** Client IP is in the configured restricted list ("Restricted IP"). */
  RESTRICTED_IP("restricted_ip", 1 << 4),
  /** GeoIP country of the client IP is in the configured excluded list. */
  EXCLUDED_COUNTRY("excluded_country", 1 << 5);

  private static final ExclusionReason[] VALUES = values();

  private final String code;
  private final int bit;

  ExclusionReason(String code, int bit) {
    this.code = code;
    this.bit = bit;
  }

  /** Stable snake_case code. */
  public String code() {
    return code;
  }

  /** Stable bit value in a reasons mask. */
  public int bit() {
    return bit;
  }

  /** Whether this reason is set in {@code mask}. */
  public boolean in(int mask) {
    return (mask & bit) != 0;
  }

  /** The reason with this code. @throws IllegalArgumentException for an unknown code */
  public static ExclusionReason fromCode(String code) {
    for (ExclusionReason r : VALUES) {
      if (r.code.equals(code)) {
        return r;
      }
    }
    throw new IllegalArgumentException("unknown exclusion reason code: '" + code + "'");
  }

  /** Mask with the given reasons set. */
  public static int mask(ExclusionReason... reasons) {
    int m = 0;
    for (ExclusionReason r : reasons) {
      m |= r.bit;
    }
    return m;
  }

  /** Codes of the reasons set in {@code mask}, in enum order (unknown bits are ignored). */
  public static List<String> codes(int mask) {
    if (mask == 0) {
      return Collections.emptyList();
    }
    List<String> out = new ArrayList<>(Integer.bitCount(mask));
    for (ExclusionReason r : VALUES) {
      if ((mask & r.bit) != 0) {
        out.add(r.code);
      }
    }
    return Collections.unmodifiableList(out);
  }

  /** Codes of the reasons in {@code mask}, comma-separated in enum order; "" for 0. */
  public static String joined(int mask) {
    if (mask == 0) {
      return "";
    }
    StringBuilder sb = new StringBuilder();
    for (ExclusionReason r : VALUES) {
      if ((mask & r.bit) != 0) {
        if (sb.length() > 0) {
          sb.append(',');
        }
        sb.append(r.code);
      }
    }
    return sb.toString();
  }

  /**
   * Inverse of {@link #joined(int)}: a mask from comma-separated codes (any order, blanks around
   * codes and empty items ignored). Null or blank gives 0.
   *
   * @throws IllegalArgumentException for an unknown code
   */
  public static int parse(String joined) {
    if (joined == null) {
      return 0;
    }
    int mask = 0;
    int start = 0;
    int n = joined.length();
    while (start <= n) {
      int comma = joined.indexOf(',', start);
      int end = comma < 0 ? n : comma;
      String code = joined.substring(start, end).trim();
      if (!code.isEmpty()) {
        mask |= fromCode(code).bit;
      }
      start = end + 1;
    }
    return mask;
  }
}
