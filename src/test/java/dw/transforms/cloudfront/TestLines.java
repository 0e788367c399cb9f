package dw.transforms.cloudfront;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Hand-written CloudFront lines for tests: the eight example lines of original-system.md §7.1
 * (33 TAB-separated fields) and a builder for variants and older layouts.
 */
public final class TestLines {
  private TestLines() {}

  public static final String VERSION_HEADER = "#Version: 1.0";

  /** The 33-field header as in the AWS docs (space-separated). */
  public static final String FIELDS_HEADER_33 = fieldsHeader(33);

  /** {@code #Fields: } with the first {@code n} standard field names, space-separated. */
  public static String fieldsHeader(int n) {
    return "#Fields: " + String.join(" ", CloudFrontLayout.STANDARD_FIELD_NAMES.subList(0, n));
  }

  /** A layout of the first {@code n} standard fields (12 = 2011, 23, 24, 26, 31, 33). */
  public static CloudFrontLayout layout(int n) {
    return CloudFrontLayout.fromFieldsHeader(fieldsHeader(n));
  }

  // §7.1 line 1: normal TE/EE server on Postgres, six-part build. Kept.
  public static final String NORMAL_EARLY =
      "2024-05-06\t00:12:41\tIAD89-C1\t493\t203.0.113.25\tGET" + "\t"
          + "d2hxq6v3example.cloudfront.net\t/security\t200\t-\tGo-http-client/2.0" + "\t"
          + "auc=37&b=9.5.3.9.5.3&be=true&db=postgres&id=wj3drgzdpnf54rxf5d8qd3dqne&os=linux&tc=4&uc=212&ut=0" + "\t"
          + "-\tMiss\t6IRRlaG5uBxnm92y-JFXsUmDjCiWue3pewPl6knzLv83-Y2CXcZq==\tsecurityupdatecheck.mattermost.com\thttps\t312\t0.087\t-" + "\t"
          + "TLSv1.3\tTLS_AES_128_GCM_SHA256\tMiss\tHTTP/2.0\t-\t-\t44318\t0.087\tMiss\tapplication/json\t2\t-\t-";

  // §7.1 line 2: "new build format" 9.7.1.<11 digits>, auc < uc. Kept.
  public static final String NEW_BUILD_FORMAT =
      "2024-05-06\t07:55:03\tFRA56-P5\t493\t198.51.100.77\tGET" + "\t"
          + "d2hxq6v3example.cloudfront.net\t/security\t200\t-\tGo-http-client/2.0" + "\t"
          + "auc=1204&b=9.7.1.14312345678&be=true&db=postgres&id=14j8umgczgrdp95w77zuxmxfu9&os=linux&tc=31&uc=5120&ut=0" + "\t"
          + "-\tMiss\t6PbDDUYArYnOzoUP9KdQJEX9ScuACT5iLiktNrfzo9cloJnOCHoK==\tsecurityupdatecheck.mattermost.com\thttps\t312\t0.102\t-" + "\t"
          + "TLSv1.3\tTLS_AES_128_GCM_SHA256\tMiss\tHTTP/2.0\t-\t-\t44318\t0.102\tMiss\tapplication/json\t2\t-\t-";

  // §7.1 line 3: Windows/MySQL team edition, auc=0. Kept.
  public static final String WINDOWS_MYSQL_TE =
      "2024-05-06\t13:20:58\tNRT57-P2\t493\t192.0.2.140\tGET" + "\t"
          + "d2hxq6v3example.cloudfront.net\t/security\t200\t-\tGo-http-client/1.1" + "\t"
          + "auc=0&b=7.8.15.7.8.15&be=false&db=mysql&id=ih1r84kij94nrwis97rft6rduh&os=windows&tc=1&uc=3&ut=0" + "\t"
          + "-\tMiss\tiV56g_6dtOoFYAxMLaTv7wiXYvjAWOuX-On_qVhbJ9sHHSJcXOHA==\tsecurityupdatecheck.mattermost.com\thttps\t312\t0.064\t-" + "\t"
          + "TLSv1.3\tTLS_AES_128_GCM_SHA256\tMiss\tHTTP/1.1\t-\t-\t44318\t0.064\tMiss\tapplication/json\t2\t-\t-";

  // §7.1 line 4: developer build 9.8.0.dev with ut=1. Kept, server excluded (tests + custom build).
  public static final String DEV_BUILD_UNIT_TESTS =
      "2024-05-06\t15:02:11\tIAD89-C1\t493\t203.0.113.9\tGET" + "\t"
          + "d2hxq6v3example.cloudfront.net\t/security\t200\t-\tGo-http-client/2.0" + "\t"
          + "auc=2&b=9.8.0.dev&be=false&db=postgres&id=1asb7sk89dp1ex339fkh3te5t4&os=darwin&tc=1&uc=2&ut=1" + "\t"
          + "-\tMiss\tFvgv5Yj2UE8kRN4zGvJbNFlKoY2as3QoajPm52tB3BXFRIZkEPwM==\tsecurityupdatecheck.mattermost.com\thttps\t312\t0.071\t-" + "\t"
          + "TLSv1.3\tTLS_AES_128_GCM_SHA256\tMiss\tHTTP/2.0\t-\t-\t44318\t0.071\tMiss\tapplication/json\t2\t-\t-";

  // §7.1 line 5: cloud build 9.5.2.cloud-2024-04-30-1. Accepted format.
  public static final String CLOUD_BUILD =
      "2024-05-06\t18:44:37\tGRU3-C1\t493\t198.51.100.201\tGET" + "\t"
          + "d2hxq6v3example.cloudfront.net\t/security\t200\t-\tGo-http-client/2.0" + "\t"
          + "auc=15&b=9.5.2.cloud-2024-04-30-1&be=true&db=postgres&id=saqjfmjqqy9mo1yj4zwed73333&os=linux&tc=2&uc=9&ut=0" + "\t"
          + "-\tMiss\tP9V-x8E_LHRel8ZyrEB6wGJ--fAXVV-3xBLjMDE9Irz5umf_WzVW==\tsecurityupdatecheck.mattermost.com\thttps\t312\t0.090\t-" + "\t"
          + "TLSv1.3\tTLS_AES_128_GCM_SHA256\tMiss\tHTTP/2.0\t-\t-\t44318\t0.090\tMiss\tapplication/json\t2\t-\t-";

  // §7.1 line 6: same server as line 1, 23:59:59, auc=41: the day's latest ping.
  public static final String NORMAL_LATEST =
      "2024-05-06\t23:59:59\tIAD89-C1\t493\t203.0.113.25\tGET" + "\t"
          + "d2hxq6v3example.cloudfront.net\t/security\t200\t-\tGo-http-client/2.0" + "\t"
          + "auc=41&b=9.5.3.9.5.3&be=true&db=postgres&id=wj3drgzdpnf54rxf5d8qd3dqne&os=linux&tc=4&uc=212&ut=0" + "\t"
          + "-\tMiss\t_Emrhm7kKilzBbXLAMvqToTuJd-Kr-npMDpw60FR4Va6XFgq4RCz==\tsecurityupdatecheck.mattermost.com\thttps\t312\t0.080\t-" + "\t"
          + "TLSv1.3\tTLS_AES_128_GCM_SHA256\tMiss\tHTTP/2.0\t-\t-\t44318\t0.080\tMiss\tapplication/json\t2\t-\t-";

  // §7.1 line 7: /bulletins/... fetch with no query. Dropped (uri != /security).
  public static final String BULLETIN =
      "2024-05-06\t09:10:00\tLHR61-P3\t1675\t192.0.2.33\tGET" + "\t"
          + "d2hxq6v3example.cloudfront.net\t/bulletins/MMSA-2024-00123\t200\t-\tGo-http-client/2.0" + "\t"
          + "-" + "\t"
          + "-\tMiss\tHk3x1Lq9Zs0pT7vWm2Nf8YcR4uBe6DgAaJoKiEtSlXyVnQwMhCzP==\tsecurityupdatecheck.mattermost.com\thttps\t312\t0.120\t-" + "\t"
          + "TLSv1.3\tTLS_AES_128_GCM_SHA256\tMiss\tHTTP/2.0\t-\t-\t44318\t0.120\tMiss\ttext/html\t1210\t-\t-";

  // §7.1 line 8: auc=900 > uc=40. Kept, server excluded.
  public static final String ACTIVE_EXCEEDS_REGISTERED =
      "2024-05-06\t11:31:27\tIAD89-C1\t493\t203.0.113.50\tGET" + "\t"
          + "d2hxq6v3example.cloudfront.net\t/security\t200\t-\tGo-http-client/2.0" + "\t"
          + "auc=900&b=9.5.3.9.5.3&be=true&db=postgres&id=g63dcrphk8idgyjgzbrpajosz6&os=linux&tc=1&uc=40&ut=0" + "\t"
          + "-\tMiss\tQm7nB2vC8xZ1aS4dF6gH9jK0lP3oI5uY7tR1eW2qA4sD6fG8hJ0k==\tsecurityupdatecheck.mattermost.com\thttps\t312\t0.083\t-" + "\t"
          + "TLSv1.3\tTLS_AES_128_GCM_SHA256\tMiss\tHTTP/2.0\t-\t-\t44318\t0.083\tMiss\tapplication/json\t2\t-\t-";

  /** The eight §7.1 lines in document order. */
  public static final List<String> DOC_LINES =
      List.of(
          NORMAL_EARLY, NEW_BUILD_FORMAT, WINDOWS_MYSQL_TE, DEV_BUILD_UNIT_TESTS, CLOUD_BUILD,
          NORMAL_LATEST, BULLETIN, ACTIVE_EXCEEDS_REGISTERED);

  /** A builder pre-filled with the values of {@link #NORMAL_EARLY}. */
  public static Builder ping() {
    return new Builder(NORMAL_EARLY);
  }

  /** Builds a line field by field (by standard field name) and renders it for any layout. */
  public static final class Builder {
    private final Map<String, String> values = new LinkedHashMap<>();

    private Builder(String standardLine) {
      String[] parts = standardLine.split("\t", -1);
      for (int i = 0; i < parts.length; i++) {
        values.put(CloudFrontLayout.STANDARD_FIELD_NAMES.get(i), parts[i]);
      }
    }

    public Builder set(String fieldName, String value) {
      if (!values.containsKey(fieldName)) {
        throw new IllegalArgumentException("unknown field " + fieldName);
      }
      values.put(fieldName, value);
      return this;
    }

    public Builder date(String v) {
      return set("date", v);
    }

    public Builder time(String v) {
      return set("time", v);
    }

    public Builder clientIp(String v) {
      return set("c-ip", v);
    }

    public Builder method(String v) {
      return set("cs-method", v);
    }

    public Builder uriStem(String v) {
      return set("cs-uri-stem", v);
    }

    public Builder status(String v) {
      return set("sc-status", v);
    }

    public Builder userAgent(String v) {
      return set("cs(User-Agent)", v);
    }

    public Builder query(String v) {
      return set("cs-uri-query", v);
    }

    /** The 33-field line. */
    public String build() {
      return String.join("\t", values.values());
    }

    /** The line for {@code layout}: its fields in its order (unknown names give {@code -}). */
    public String build(CloudFrontLayout layout) {
      List<String> out = new ArrayList<>();
      for (String name : layout.fieldNames()) {
        out.add(values.getOrDefault(name, "-"));
      }
      return String.join("\t", out);
    }
  }
}
