package dw.transforms.security;

import dw.geo.IpAddresses;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The configurable exclusion rules for security pings, and the computation of a ping's {@link
 * ExclusionReason} mask. Immutable and {@link Serializable} (safe as a DoFn field).
 *
 * <p>Configured by two comma-separated option strings ({@link #of(String, String)}): restricted
 * client IPs (default {@value #DEFAULT_RESTRICTED_IPS}, the original's single "Restricted IP") and
 * excluded country ISO 3166-1 alpha-2 codes (default {@value #DEFAULT_EXCLUDED_COUNTRIES}: Russia,
 * Iran, North Korea; the original compared country names, here the ISO code is used).
 */
public final class ExclusionRules implements Serializable {
  private static final long serialVersionUID = 1L;

  public static final String DEFAULT_RESTRICTED_IPS = "194.30.0.184";
  public static final String DEFAULT_EXCLUDED_COUNTRIES = "RU,IR,KP";

  /** The original warehouse's rules. */
  public static final ExclusionRules DEFAULT =
      of(DEFAULT_RESTRICTED_IPS, DEFAULT_EXCLUDED_COUNTRIES);

  /** Length of a valid Mattermost server id. */
  public static final int SERVER_ID_LENGTH = 26;

  /** Canonical IP texts (IPv4 as written, IPv6 per RFC 5952). */
  private final Set<String> restrictedIps;
  /** Upper-case 2-letter codes. */
  private final Set<String> excludedCountries;
  /** The same codes as an array, for an iterator-free scan per ping. */
  private final String[] countryArray;

  private ExclusionRules(Set<String> restrictedIps, Set<String> excludedCountries) {
    this.restrictedIps = restrictedIps;
    this.excludedCountries = excludedCountries;
    this.countryArray = excludedCountries.toArray(new String[0]);
  }

  /**
   * Rules from option strings. Each is a comma-separated list; blanks around items and empty items
   * are ignored. {@code null} means the default; an empty or blank string means an empty list (the
   * rule is off).
   *
   * @param restrictedIps IPv4 (strict dotted quad) or IPv6 literals
   * @param excludedCountries ISO 3166-1 alpha-2 codes, any case (stored upper case)
   * @throws IllegalArgumentException naming the first item that is not an IP literal or not two
   *     ASCII letters
   */
  public static ExclusionRules of(String restrictedIps, String excludedCountries) {
    Set<String> ips = new LinkedHashSet<>();
    for (String item : items(restrictedIps == null ? DEFAULT_RESTRICTED_IPS : restrictedIps)) {
      String canonical = canonicalIp(item);
      if (canonical == null) {
        throw new IllegalArgumentException(
            "restricted IP list: '" + item + "' is not an IPv4 or IPv6 address literal");
      }
      ips.add(canonical);
    }
    Set<String> countries = new LinkedHashSet<>();
    for (String item :
        items(excludedCountries == null ? DEFAULT_EXCLUDED_COUNTRIES : excludedCountries)) {
      if (item.length() != 2 || !isAsciiLetter(item.charAt(0)) || !isAsciiLetter(item.charAt(1))) {
        throw new IllegalArgumentException(
            "excluded country list: '" + item + "' is not a two-letter ISO 3166-1 country code");
      }
      countries.add(item.toUpperCase(Locale.ROOT));
    }
    return new ExclusionRules(
        Collections.unmodifiableSet(ips), Collections.unmodifiableSet(countries));
  }

  private static boolean isAsciiLetter(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  private static List<String> items(String option) {
    List<String> out = new ArrayList<>();
    int start = 0;
    int n = option.length();
    while (start <= n) {
      int comma = option.indexOf(',', start);
      int end = comma < 0 ? n : comma;
      String item = option.substring(start, end).trim();
      if (!item.isEmpty()) {
        out.add(item);
      }
      start = end + 1;
    }
    return out;
  }

  /** Restricted IPs in canonical text (unmodifiable, in option order). */
  public Set<String> restrictedIps() {
    return restrictedIps;
  }

  /** Excluded country codes, upper case (unmodifiable, in option order). */
  public Set<String> excludedCountries() {
    return excludedCountries;
  }

  /** The restricted-IP option string that recreates these rules. */
  public String restrictedIpsOption() {
    return String.join(",", restrictedIps);
  }

  /** The excluded-countries option string that recreates these rules. */
  public String excludedCountriesOption() {
    return String.join(",", excludedCountries);
  }

  /**
   * The {@link ExclusionReason} mask of a ping:
   *
   * <ul>
   *   <li>{@link ExclusionReason#RAN_UNIT_TESTS}: {@code ut} is {@code "1"};
   *   <li>{@link ExclusionReason#CUSTOM_BUILD_FORMAT}: custom build;
   *   <li>{@link ExclusionReason#ACTIVE_EXCEEDS_REGISTERED}: {@code auc > uc}, both present;
   *   <li>{@link ExclusionReason#INVALID_SERVER_ID}: the id is not {@value #SERVER_ID_LENGTH}
   *       characters (code points) long; a null id is invalid too;
   *   <li>{@link ExclusionReason#RESTRICTED_IP}: the client IP is in the restricted list (IPv6
   *       compared in canonical form);
   *   <li>{@link ExclusionReason#EXCLUDED_COUNTRY}: {@code countryIso} (ASCII case-insensitive) is in
   *       the excluded list; null (unknown country) never matches.
   * </ul>
   */
  public int reasons(SecurityPingFields p, String countryIso) {
    int mask = 0;
    if (p.ranUnitTests()) {
      mask |= ExclusionReason.RAN_UNIT_TESTS.bit();
    }
    if (p.customBuild()) {
      mask |= ExclusionReason.CUSTOM_BUILD_FORMAT.bit();
    }
    Long auc = p.activeUsers();
    Long uc = p.registeredUsers();
    if (auc != null && uc != null && auc.longValue() > uc.longValue()) {
      mask |= ExclusionReason.ACTIVE_EXCEEDS_REGISTERED.bit();
    }
    String id = p.serverId();
    if (id == null || id.codePointCount(0, id.length()) != SERVER_ID_LENGTH) {
      mask |= ExclusionReason.INVALID_SERVER_ID.bit();
    }
    if (isRestrictedIp(p.clientIp())) {
      mask |= ExclusionReason.RESTRICTED_IP.bit();
    }
    if (isExcludedCountry(countryIso)) {
      mask |= ExclusionReason.EXCLUDED_COUNTRY.bit();
    }
    return mask;
  }

  /** Whether {@code ip} is in the restricted list (IPv6 in any valid spelling). */
  public boolean isRestrictedIp(String ip) {
    if (ip == null || restrictedIps.isEmpty()) {
      return false;
    }
    if (restrictedIps.contains(ip)) {
      return true;
    }
    if (ip.indexOf(':') >= 0) { // IPv6 in another spelling, or an IPv4-mapped address
      String canonical = canonicalIp(ip);
      return canonical != null && restrictedIps.contains(canonical);
    }
    return false;
  }

  /**
   * One spelling per address, for comparing lists with log values: dotted quad for IPv4 (also for
   * an IPv4-mapped IPv6 address), RFC 5952 text for IPv6; null when {@code s} is not an IP
   * literal. Parsing is {@link IpAddresses}' (no name look-ups).
   */
  static String canonicalIp(String s) {
    byte[] b = IpAddresses.canonical(s);
    return b == null ? null : IpAddresses.toText(b);
  }

  /** Whether {@code countryIso} is in the excluded list (ASCII case-insensitive). */
  public boolean isExcludedCountry(String countryIso) {
    if (countryIso == null || countryIso.length() != 2) {
      return false;
    }
    for (String c : countryArray) {
      if (c.equalsIgnoreCase(countryIso)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof ExclusionRules)) {
      return false;
    }
    ExclusionRules r = (ExclusionRules) o;
    return restrictedIps.equals(r.restrictedIps) && excludedCountries.equals(r.excludedCountries);
  }

  @Override
  public int hashCode() {
    return 31 * restrictedIps.hashCode() + excludedCountries.hashCode();
  }

  @Override
  public String toString() {
    return "ExclusionRules{restrictedIps=" + restrictedIps + ", excludedCountries="
        + excludedCountries + "}";
  }
}
