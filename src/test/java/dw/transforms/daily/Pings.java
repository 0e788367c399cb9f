package dw.transforms.daily;

import dw.transforms.privacy.TestPseudonyms;
import dw.transforms.security.SecurityPing;
import java.time.Instant;

/** Hand-made pings for aggregation tests, pseudonymized as the parse step does. */
final class Pings {
  private Pings() {}

  static SecurityPing ping(String server, String isoTime, Long auc, Long uc) {
    return ping(server, isoTime, auc, uc, "9.5.3.9.5.3", "203.0.113.1", 0);
  }

  static SecurityPing ping(
      String server, String isoTime, Long auc, Long uc, String build, String ip, int mask) {
    return TestPseudonyms.pseudonymized(SecurityPing.builder()
        .eventTimeMillis(Instant.parse(isoTime).toEpochMilli())
        .serverId(server)
        .rawBuild(build)
        .enterpriseReady(true)
        .database("postgres")
        .os("linux")
        .registeredUsers(uc)
        .teams(1L)
        .activeUsers(auc)
        .clientIp(ip)
        .geo("US", "United States", null, null, null, null)
        .exclusionMask(mask));
  }

  /** A 26-character server id from a short name. */
  static String id(String name) {
    return (name + "xxxxxxxxxxxxxxxxxxxxxxxxxx").substring(0, 26);
  }
}
