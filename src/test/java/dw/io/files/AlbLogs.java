package dw.io.files;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.zip.GZIPOutputStream;

/**
 * Hand-written Application Load Balancer access logs for the tests: keys in the AWS layout and a
 * few realistic lines per file (push-proxy requests), gzipped.
 */
final class AlbLogs {
  static final DateTimeFormatter END = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmm'Z'").withZone(ZoneOffset.UTC);
  static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy/MM/dd").withZone(ZoneOffset.UTC);

  private AlbLogs() {}

  /** A region folder: {@code <prefix>AWSLogs/<account>/elasticloadbalancing/<region>/}. */
  static String regionFolder(String prefix, String account, String region) {
    return prefix + "AWSLogs/" + account + "/elasticloadbalancing/" + region + "/";
  }

  /** The key of a file whose 5-minute interval ends at {@code end} (in the day folder of {@code end}). */
  static String key(String prefix, String account, String region, Instant end, String random) {
    return regionFolder(prefix, account, region)
        + DAY.format(end)
        + "/"
        + account
        + "_elasticloadbalancing_"
        + region
        + "_app.push-proxy."
        + "50dc6c495c0c9188_"
        + END.format(end)
        + "_10.0.12.34_"
        + random
        + ".log.gz";
  }

  /** {@code lines} ALB log lines of requests just before {@code end}, gzipped. */
  static byte[] content(Instant end, int lines) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < lines; i++) {
      Instant t = end.minusMillis(1_000L + 7_919L * i);
      String url = i % 3 == 2 ? "/api/v1/ack" : "/api/v1/send_push";
      int status = i % 5 == 4 ? 429 : 200;
      sb.append("https ")
          .append(t)
          .append(" app/push-proxy/50dc6c495c0c9188 ")
          .append("203.0.113.").append(10 + i % 200).append(':').append(40000 + i)
          .append(" 10.0.1.17:8066 0.000 0.00").append(1 + i % 9).append(" 0.000 ")
          .append(status).append(' ').append(status).append(' ')
          .append(400 + i).append(" 97 \"POST https://push.example.com:443").append(url)
          .append(" HTTP/1.1\" \"Go-http-client/1.1\" ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 ")
          .append("arn:aws:elasticloadbalancing:us-east-1:111111111111:targetgroup/push/73e2d6bc24d8a067 ")
          .append("\"Root=1-6740a1b2-").append(String.format("%024x", i + 1)).append("\" ")
          .append("\"push.example.com\" \"arn:aws:acm:us-east-1:111111111111:certificate/1234\" 0 ")
          .append(t.minusMillis(3)).append(" \"forward\" \"-\" \"-\" \"10.0.1.17:8066\" \"")
          .append(status).append("\" \"-\" \"-\"\n");
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream z = new GZIPOutputStream(out)) {
      z.write(sb.toString().getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
