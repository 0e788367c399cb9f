package dw.transforms.push;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.beam.sdk.util.CoderUtils;
import org.junit.jupiter.api.Test;

/** The hour aggregate: merging equals adding, the coder round-trips, percentiles are nearest-rank. */
class PushHourStatsTest {
  private static PushRequest req(int status, long targetMs, String country) {
    return new PushRequest(0, "us-east-1", "app/a", "US", PushRoute.SEND_PUSH, "https", "HTTP/1.1", status,
        status, 0, targetMs, 0, 100, 50, "81.2.69.160", country, "ua", null, "forward", null);
  }

  @Test
  void mergedPartialsEqualOneAccumulatorAndSurviveTheCoder() throws Exception {
    SplittableRandom r = new SplittableRandom(1);
    PushHourStats all = new PushHourStats();
    PushHourStats a = new PushHourStats();
    PushHourStats b = new PushHourStats();
    int[] statuses = {200, 200, 200, 429, 400, 460, 502, 301};
    List<Long> answeredTimes = new ArrayList<>();
    for (int i = 0; i < 5000; i++) {
      int s = statuses[r.nextInt(statuses.length)];
      long t = s == 200 ? r.nextInt(2000) : -1;
      PushRequest q = req(s, t, i % 3 == 0 ? "DE" : "unknown");
      all.add(q);
      (i % 2 == 0 ? a : b).add(q);
      if (s == 200) {
        answeredTimes.add(t);
      }
    }
    a.merge(CoderUtils.clone(PushHourStats.Coder.of(), b));
    PushHourStats decoded = CoderUtils.clone(PushHourStats.Coder.of(), a);
    for (PushHourStats s : List.of(a, decoded)) {
      assertEquals(all.requests(), s.requests());
      assertEquals(all.answered(), s.answered());
      assertEquals(all.serverErrors(), s.serverErrors());
      assertEquals(all.sentBytes(), s.sentBytes());
      assertArrayEquals(all.countries().get("DE"), s.countries().get("DE"));
      for (double p : new double[] {50, 95, 99}) {
        assertEquals(nearestRank(answeredTimes, p), s.targetPercentileMillis(p), "p" + p);
      }
    }
    assertNull(new PushHourStats().targetPercentileMillis(50));
  }

  @Test
  void percentilesAreNearestRankForEverySmallCount() {
    SplittableRandom r = new SplittableRandom(2);
    for (int n = 1; n <= 400; n++) {
      PushHourStats s = new PushHourStats();
      List<Long> times = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        long t = r.nextInt(2048);
        times.add(t);
        s.add(req(200, t, "DE"));
      }
      for (double p : new double[] {50, 95, 99}) {
        assertEquals(nearestRank(times, p), s.targetPercentileMillis(p), "n=" + n + " p" + p);
      }
    }
  }

  /** The value at rank ⌈p·n/100⌉ (at least 1) of the sorted values (integer arithmetic). */
  private static Long nearestRank(List<Long> values, double p) {
    List<Long> sorted = new ArrayList<>(values);
    sorted.sort(null);
    long n = sorted.size();
    long rank = Math.max(1, ((long) p * n + 99) / 100);
    return sorted.get((int) rank - 1);
  }
}
