package dw.transforms.useragent;

import java.util.LinkedHashMap;
import java.util.Map;
import ua_parser.Client;
import ua_parser.Parser;

/**
 * Browser family, OS family and a bot flag of a user-agent string, with ua-parser's Java port
 * ({@code com.github.ua-parser:uap-java}, the same {@code regexes.yaml} as the Python ua-parser the
 * original warehouse's {@code parse_user_agent} UDF used).
 *
 * <p>ua-parser tries a few hundred regular expressions per string (tens to hundreds of µs), while a
 * CDN log holds few distinct user agents, so results are kept in a per-instance LRU cache of
 * {@value #CACHE_SIZE} strings. Building the parser compiles the regexes (a few hundred ms), so
 * make one per worker ({@code @Setup}) and reuse it. Not thread-safe.
 *
 * <p>{@code is_bot}: ua-parser's device family {@code Spider}, its family for crawlers, link
 * checkers and monitoring bots (Googlebot, bingbot, AhrefsBot, …). Command-line tools such as
 * {@code curl} and {@code Wget} are not bots: they are how servers are usually installed.
 */
public final class UserAgentParser {
  /** Distinct user agents remembered per instance. */
  public static final int CACHE_SIZE = 10_000;
  /** ua-parser's family when nothing matched. */
  public static final String OTHER = "Other";

  /** What ua-parser found in one user-agent string. */
  public record Parsed(String browserFamily, String osFamily, boolean bot) {}

  private static final Parsed NONE = new Parsed(null, null, false);

  private final Parser parser = new Parser();
  private final Map<String, Parsed> cache =
      new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Parsed> eldest) {
          return size() > CACHE_SIZE;
        }
      };
  private long lookups;
  private long misses;

  /** The families of {@code userAgent} (already URL-decoded); all null/false for null or empty. */
  public Parsed parse(String userAgent) {
    if (userAgent == null || userAgent.isEmpty()) {
      return NONE;
    }
    lookups++;
    Parsed p = cache.get(userAgent);
    if (p == null) {
      misses++;
      Client c = parser.parse(userAgent);
      p =
          new Parsed(
              c.userAgent == null ? OTHER : c.userAgent.family,
              c.os == null ? OTHER : c.os.family,
              c.device != null && "Spider".equals(c.device.family));
      cache.put(userAgent, p);
    }
    return p;
  }

  /** Lookups so far (for tests and benchmarks). */
  public long lookups() {
    return lookups;
  }

  /** Lookups that had to run ua-parser. */
  public long misses() {
    return misses;
  }
}
