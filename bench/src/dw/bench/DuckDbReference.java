package dw.bench;

import dw.pipelines.generate.GeneratorNetworks;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;

/**
 * The obvious alternative to a backfill, as a user would write it: one DuckDB SQL query over the
 * same gzip files. It implements the rules of ../shared/docs/domain.md §1 on its own (no project
 * rule code): the ping filters, the exclusion reasons (unit tests, custom build, auc &gt; uc, id
 * length, restricted IP, excluded country), the latest ping's attributes and the day's maximum
 * {@code auc} per (day, server), and the daily totals by version, edition, database, OS and
 * country. GeoIP is a range join against the networks the demo database is built from (the same
 * CIDRs, so both sides see the same countries).
 *
 * <p>Usage: {@code DuckDbReference <data dir> <from> <to> <threads> <totals.csv>}; prints one JSON
 * line with the wall seconds of the query. The totals go to the CSV for {@link Bench} to compare
 * with the pipeline's {@code security_daily_totals}.
 */
public final class DuckDbReference {
  private DuckDbReference() {}

  /** The restricted client IP and excluded countries of the original system (the defaults). */
  static final String RESTRICTED_IP = "194.30.0.184";

  static final List<String> EXCLUDED_COUNTRIES = List.of("RU", "IR", "KP");

  public static void main(String[] args) throws Exception {
    Path data = Path.of(args[0]).toAbsolutePath();
    String from = args[1];
    String to = args[2];
    int threads = Integer.parseInt(args[3]);
    Path out = Path.of(args[4]).toAbsolutePath();
    long t0 = System.nanoTime();
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = c.createStatement()) {
      s.execute("SET threads = " + threads);
      s.execute("CREATE TEMP TABLE nets (v6 BOOLEAN, lo UBIGINT, hi UBIGINT, country VARCHAR)");
      try (PreparedStatement ins = c.prepareStatement("INSERT INTO nets VALUES (?, ?, ?, ?)")) {
        for (GeneratorNetworks.Network n : GeneratorNetworks.all()) {
          long[] range = range(n.cidr());
          ins.setBoolean(1, n.cidr().contains(":"));
          ins.setObject(2, new java.math.BigInteger(Long.toUnsignedString(range[0])));
          ins.setObject(3, new java.math.BigInteger(Long.toUnsignedString(range[1])));
          ins.setString(4, n.countryIso());
          ins.addBatch();
        }
        ins.executeBatch();
      }
      s.execute(query(data, from, to, out));
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    System.out.println(String.format(Locale.ROOT, "{\"seconds\": %.3f}", seconds));
  }

  /**
   * A CIDR's first and last address as unsigned longs: IPv4 as the 32-bit number, IPv6 as its
   * first 64 bits (every generator network's prefix is at most /48).
   */
  static long[] range(String cidr) {
    String[] p = cidr.split("/");
    int bits = Integer.parseInt(p[1]);
    long base;
    int width;
    if (p[0].contains(":")) {
      byte[] a;
      try {
        a = java.net.InetAddress.getByName(p[0]).getAddress();
      } catch (java.net.UnknownHostException e) {
        throw new IllegalArgumentException(cidr, e);
      }
      base = 0;
      for (int i = 0; i < 8; i++) {
        base = (base << 8) | (a[i] & 0xff);
      }
      width = 64;
    } else {
      base = 0;
      for (String o : p[0].split("\\.")) {
        base = (base << 8) | Integer.parseInt(o);
      }
      width = 32;
    }
    long size = width - bits == 64 ? -1L : (1L << (width - bits)) - 1;
    return new long[] {base, base + size};
  }

  static String query(Path data, String from, String to, Path out) {
    String files = data.resolve("**").resolve("*.gz").toString().replace("'", "''");
    // 30 text columns: lines of the newest layout have 26 (old files fewer, a stray tab one more).
    StringBuilder cols = new StringBuilder();
    for (int i = 1; i <= 30; i++) {
      cols.append(i == 1 ? "" : ", ").append("'c").append(i).append("': 'VARCHAR'");
    }
    return """
        COPY (
        WITH lines AS (
          SELECT c1 AS d, c2 AS t, c5 AS ip, c6 AS method, c8 AS stem, c11 AS ua, c12 AS q
          FROM read_csv('%s', columns = {%s}, delim = '\\t', quote = '', escape = '', header = false,
                        comment = '#', null_padding = true, strict_mode = false, ignore_errors = true,
                        nullstr = '\\x01', auto_detect = false, compression = 'gzip')
        ),
        pings AS (
          SELECT try_strptime(d || ' ' || t, '%%Y-%%m-%%d %%H:%%M:%%S') AS ts, ip, q,
                 url_decode(regexp_extract(q, '(?:^|&)id=([^&]*)', 1)) AS id,
                 url_decode(regexp_extract(q, '(?:^|&)b=([^&]*)', 1)) AS b,
                 url_decode(regexp_extract(q, '(?:^|&)be=([^&]*)', 1)) AS be,
                 url_decode(regexp_extract(q, '(?:^|&)db=([^&]*)', 1)) AS db,
                 url_decode(regexp_extract(q, '(?:^|&)os=([^&]*)', 1)) AS os,
                 url_decode(regexp_extract(q, '(?:^|&)ut=([^&]*)', 1)) AS ut,
                 regexp_extract(q, '(?:^|&)auc=([^&]*)', 1) AS auc_s,
                 regexp_extract(q, '(?:^|&)uc=([^&]*)', 1) AS uc_s,
                 regexp_extract(q, '(?:^|&)tc=([^&]*)', 1) AS tc_s
          FROM lines
          WHERE q IS NOT NULL AND stem = '/security' AND method = 'GET' AND starts_with(ua, 'Go-http-client/')
            AND NOT contains(q, 'BUMP_RELEASE') AND NOT contains(q, 'plyr-1')
        ),
        valid AS (
          SELECT ts, CAST(ts AS DATE) AS day, ip, id, b, be, db, os, ut,
                 CASE WHEN auc_s = '' THEN NULL ELSE TRY_CAST(auc_s AS BIGINT) END AS auc,
                 CASE WHEN uc_s = '' THEN NULL ELSE TRY_CAST(uc_s AS BIGINT) END AS uc
          FROM pings
          WHERE ts IS NOT NULL AND id <> ''
            AND (auc_s = '' OR TRY_CAST(auc_s AS BIGINT) IS NOT NULL)
            AND (uc_s = '' OR TRY_CAST(uc_s AS BIGINT) IS NOT NULL)
            AND (tc_s = '' OR TRY_CAST(tc_s AS BIGINT) IS NOT NULL)
            AND CAST(ts AS DATE) BETWEEN DATE '%s' AND DATE '%s'
        ),
        ips AS (
          SELECT ip, v6, lft, rgt, halves FROM (
            SELECT ip, contains(ip, ':') AS v6, string_split(ip, '::') AS halves,
                   CASE WHEN halves[1] = '' THEN []::VARCHAR[] ELSE string_split(halves[1], ':') END AS lft,
                   CASE WHEN len(halves) < 2 OR halves[2] = '' THEN []::VARCHAR[] ELSE string_split(halves[2], ':') END AS rgt
            FROM (SELECT DISTINCT ip FROM valid))
        ),
        ipnums AS (
          SELECT ip, v6,
                 CASE WHEN v6 THEN
                   list_reduce(list_transform(
                       (CASE WHEN len(halves) = 1 THEN lft
                        ELSE list_concat(lft, list_transform(range(8 - len(lft) - len(rgt)), x -> '0'), rgt) END)[1:4],
                       x -> TRY_CAST('0x' || x AS UBIGINT)), (a, x) -> a * 65536 + x)
                 ELSE TRY_CAST(split_part(ip, '.', 1) AS UBIGINT) * 16777216 + TRY_CAST(split_part(ip, '.', 2) AS UBIGINT) * 65536
                    + TRY_CAST(split_part(ip, '.', 3) AS UBIGINT) * 256 + TRY_CAST(split_part(ip, '.', 4) AS UBIGINT)
                 END AS num
          FROM ips
        ),
        geo AS (
          SELECT ips.ip, coalesce(any_value(nets.country), 'unknown') AS country
          FROM ipnums ips LEFT JOIN nets ON nets.v6 = ips.v6 AND ips.num BETWEEN nets.lo AND nets.hi
          GROUP BY ips.ip
        ),
        flagged AS (
          SELECT v.*, g.country,
                 (ut = '1'
                  OR NOT regexp_full_match(b, '[0-9]{1,2}\\.[0-9]{1,2}\\.[0-9]{1,2}(\\.[0-9]{1,2}\\.[0-9]{1,2}\\.[0-9]{1,2}|\\.cloud-[0-9]{4}-[0-9]{2}-[0-9]{2}-[0-9]+|\\.[0-9]{10,})?')
                  OR coalesce(auc > uc, false)
                  OR length(id) <> 26
                  OR ip = '%s'
                  OR g.country IN (%s)) AS excluded
          FROM valid v JOIN geo g USING (ip)
        ),
        server_days AS (
          SELECT day, id,
                 arg_max(b, ts) AS b, arg_max(be, ts) AS be, arg_max(db, ts) AS db, arg_max(os, ts) AS os,
                 arg_max(country, ts) AS country, arg_max(coalesce(auc, 0), ts) AS auc,
                 arg_max(coalesce(uc, 0), ts) AS uc, max(coalesce(auc, 0)) AS max_auc, bool_or(excluded) AS excluded
          FROM flagged
          GROUP BY day, id
        )
        SELECT day AS log_date, split_part(b, '.', 1) || '.' || split_part(b, '.', 2) AS version,
               CASE be WHEN 'true' THEN 'E0' WHEN 'false' THEN 'TE' ELSE 'Unknown' END AS edition,
               coalesce(nullif(db, ''), 'unknown') AS database_type, coalesce(nullif(os, ''), 'unknown') AS operating_system, country AS country_iso, count(*) AS active_servers,
               sum(auc) AS active_users, sum(max_auc) AS max_active_users, sum(uc) AS registered_users
        FROM server_days
        WHERE NOT excluded
        GROUP BY ALL
        ORDER BY ALL
        ) TO '%s' (HEADER, DELIMITER ',')
        """
        .formatted(files, cols, from, to, RESTRICTED_IP,
            String.join(", ", EXCLUDED_COUNTRIES.stream().map(c -> "'" + c + "'").toList()),
            out.toString().replace("'", "''"));
  }
}
