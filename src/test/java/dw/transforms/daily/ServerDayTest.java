package dw.transforms.daily;

import static dw.transforms.daily.Pings.id;
import static dw.transforms.daily.Pings.ping;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dw.transforms.security.ExclusionReason;
import dw.transforms.security.SecurityPing;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ServerDayTest {
  private static final String S = id("alpha");

  @Test
  void latestPingGivesTheAttributesAndMaxAucIsTheDaysMaximum() {
    ServerDay d =
        new ServerDay()
            .add(ping(S, "2026-11-20T20:00:00Z", 10L, 100L, "9.6.1", "203.0.113.1", 0))
            .add(ping(S, "2026-11-20T08:00:00Z", 50L, 100L, "9.5.3", "203.0.113.2", 0));
    assertEquals(10L, d.activeUsers());
    assertEquals(50L, d.maxActiveUsers());
    assertEquals("9.6.1", d.latest().versionFull());
    assertEquals(2, d.pings());
    assertEquals(2, d.distinctIps());
    assertEquals(2, d.distinctVersions());
  }

  @Test
  void distinctIpsCountAddressesNotTextFormsAndKeepNoAddress() {
    ServerDay d =
        new ServerDay()
            .add(ping(S, "2026-11-20T08:00:00Z", 1L, 1L, "9.5.3", "2001:db8::1", 0))
            .add(ping(S, "2026-11-20T09:00:00Z", 1L, 1L, "9.5.3", "2001:0DB8:0::0001", 0))
            .add(ping(S, "2026-11-20T10:00:00Z", 1L, 1L, "9.5.3", "192.0.2.1", 0))
            .add(ping(S, "2026-11-20T11:00:00Z", 1L, 1L, "9.5.3", "::ffff:192.0.2.1", 0))
            .add(ping(S, "2026-11-20T12:00:00Z", 1L, 1L, "9.5.3", "-", 0));
    assertEquals(2, d.distinctIps());
    assertEquals(2, d.ipFingerprints().length);
    assertNull(d.latest().clientIp());
    assertNull(d.latest().clientIpHash(), "the latest ping had no address");
  }

  @Test
  void missingAucIsNullNotZeroOnTheServerRow() {
    ServerDay d = new ServerDay().add(ping(S, "2026-11-20T08:00:00Z", null, null));
    assertNull(d.activeUsers());
    assertNull(d.maxActiveUsers());
  }

  @Test
  void exclusionReasonsAreTheUnionOfTheDaysPings() {
    int ut = ExclusionReason.RAN_UNIT_TESTS.bit();
    ServerDay d =
        new ServerDay()
            .add(ping(S, "2026-11-20T08:00:00Z", 1L, 2L, "9.5.3", "203.0.113.1", ut))
            .add(ping(S, "2026-11-20T09:00:00Z", 1L, 2L, "9.5.3", "203.0.113.1", 0));
    assertEquals("ran_unit_tests", d.exclusionReasons());
  }

  @Test
  void anyOrderAndAnySplitGivesTheSameDay() {
    List<SecurityPing> pings = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      pings.add(
          ping(S, String.format("2026-11-20T%02d:00:00Z", i % 5), (long) (i * 7 % 11), 100L,
              "9.5." + (i % 3), "203.0.113." + (i % 4), 0));
    }
    ServerDay expected = new ServerDay();
    pings.forEach(expected::add);
    Random r = new Random(7);
    for (int round = 0; round < 20; round++) {
      Collections.shuffle(pings, r);
      int cut = r.nextInt(pings.size());
      ServerDay a = new ServerDay();
      ServerDay b = new ServerDay();
      for (int i = 0; i < pings.size(); i++) {
        (i < cut ? a : b).add(pings.get(i));
      }
      assertEquals(expected, b.merge(a), "round " + round);
    }
  }

  @Test
  void coderRoundTrips() throws Exception {
    ServerDay d =
        new ServerDay()
            .add(ping(S, "2026-11-20T20:00:00Z", 10L, 100L, "9.6.1", "2001:db8::1", 0))
            .add(ping(S, "2026-11-20T08:00:00Z", 50L, null, "9.5.3", "203.0.113.2", 3));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ServerDayCoder.of().encode(d, out);
    ServerDay back = ServerDayCoder.of().decode(new ByteArrayInputStream(out.toByteArray()));
    assertEquals(d, back);
    ByteArrayOutputStream empty = new ByteArrayOutputStream();
    ServerDayCoder.of().encode(new ServerDay(), empty);
    assertEquals(0, ServerDayCoder.of().decode(new ByteArrayInputStream(empty.toByteArray())).pings());
  }

  @Test
  void totalsCountANewerServerResultOnceAndSkipExcludedServers() {
    ServerDay early = new ServerDay().add(ping(S, "2026-11-20T08:00:00Z", 5L, 10L));
    ServerDay refined =
        new ServerDay()
            .add(ping(S, "2026-11-20T08:00:00Z", 5L, 10L))
            .add(ping(S, "2026-11-20T09:00:00Z", 7L, 10L));
    ServerDay excluded =
        new ServerDay()
            .add(ping(id("beta"), "2026-11-20T08:00:00Z", 5L, 10L, "9.8.0.dev", "203.0.113.9",
                ExclusionReason.CUSTOM_BUILD_FORMAT.bit()));
    LatestPerServer acc =
        new LatestPerServer()
            .add(TotalsContribution.of(refined))
            .add(TotalsContribution.of(early)) // arrives out of order: must not win
            .add(TotalsContribution.of(excluded));
    DayTotals t = DayTotals.of(1, acc.contributions());
    assertEquals(1, t.rows().size());
    DayTotals.Row r = t.rows().get(0);
    assertEquals(new BreakdownKey("9.5", "E0", "postgres", "linux", "US"), r.key());
    assertEquals(1, r.activeServers());
    assertEquals(7, r.activeUsers());
    assertEquals(7, r.maxActiveUsers());
    assertEquals(10, r.registeredUsers());
  }
}
