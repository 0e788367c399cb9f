package dw.transforms.daily;

import static dw.transforms.daily.Pings.id;
import static dw.transforms.daily.Pings.ping;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dw.transforms.security.ExclusionReason;
import dw.transforms.security.SecurityPing;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.apache.beam.sdk.util.CoderUtils;
import org.junit.jupiter.api.Test;

/**
 * The backfill's hash-aggregated shards: however the pings are split into partial shards (bundles,
 * flushes, workers) and merged, the result is the per-server result of {@link ServerDay} over all of
 * the server's pings, and the day totals are those of the streaming graph's {@link DayTotals#of}.
 */
class ServerDayShardTest {
  private static final int DAY = (int) LocalDate.parse("2026-11-20").toEpochDay();

  /** 40 servers, 1-6 pings each, two days, varied auc/versions/IPs/exclusions, shuffled. */
  private static List<SecurityPing> pings(long seed) {
    Random r = new Random(seed);
    List<SecurityPing> out = new ArrayList<>();
    for (int s = 0; s < 40; s++) {
      String server = id("srv" + s);
      for (String day : List.of("2026-11-20", "2026-11-21")) {
        int n = 1 + r.nextInt(6);
        for (int i = 0; i < n; i++) {
          out.add(
              ping(
                  server,
                  String.format("%sT%02d:%02d:00Z", day, r.nextInt(24), r.nextInt(4) * 15),
                  r.nextInt(5) == 0 ? null : (long) r.nextInt(200),
                  (long) (100 + r.nextInt(100)),
                  "9." + (5 + r.nextInt(2)) + "." + r.nextInt(3),
                  "203.0.113." + r.nextInt(3),
                  r.nextInt(15) == 0 ? ExclusionReason.RAN_UNIT_TESTS.bit() : 0));
        }
      }
    }
    Collections.shuffle(out, r);
    return out;
  }

  /** The reference: one ServerDay per (day, server) from all its pings. */
  private static Map<String, ServerDay> direct(List<SecurityPing> pings) {
    Map<String, ServerDay> m = new HashMap<>();
    for (SecurityPing p : pings) {
      m.computeIfAbsent(p.logEpochDay() + "/" + p.serverId(), k -> new ServerDay()).add(p);
    }
    return m;
  }

  /** Pings split at random into partial shards, as reading steps would emit them. */
  private static List<Map<Integer, ServerDayShard>> partials(List<SecurityPing> pings, int parts, Random r) {
    List<Map<Integer, ServerDayShard>> out = new ArrayList<>();
    for (int i = 0; i < parts; i++) {
      out.add(new HashMap<>());
    }
    for (SecurityPing p : pings) {
      out.get(r.nextInt(parts))
          .computeIfAbsent(ServerDayShard.key(p.logEpochDay(), p.serverId()), k -> new ServerDayShard())
          .add(p);
    }
    return out;
  }

  @Test
  void anySplitIntoPartialShardsMergesToTheDirectServerDays() throws Exception {
    List<SecurityPing> pings = pings(7);
    Map<String, ServerDay> expected = direct(pings);
    for (int seed = 0; seed < 20; seed++) {
      Random r = new Random(seed);
      List<Map<Integer, ServerDayShard>> parts = partials(pings, 1 + r.nextInt(5), r);
      Map<Integer, List<ServerDayShard>> byKey = new HashMap<>();
      for (Map<Integer, ServerDayShard> part : parts) {
        part.forEach((k, s) -> byKey.computeIfAbsent(k, x -> new ArrayList<>()).add(s));
      }
      Map<String, ServerDay> actual = new HashMap<>();
      for (Map.Entry<Integer, List<ServerDayShard>> e : byKey.entrySet()) {
        // grouped: each partial through the coder (as the shuffle hands it over), in any order
        List<ServerDayShard> partials = new ArrayList<>();
        List<byte[]> before = new ArrayList<>();
        for (ServerDayShard s : e.getValue()) {
          ServerDayShard in = roundTrip(s);
          partials.add(in);
          before.add(CoderUtils.encodeToByteArray(ServerDayShard.Coder.of(), in));
        }
        Collections.shuffle(partials, r);
        ServerDayShard merged = roundTrip(CombineServerDayShards.merge(partials));
        if (partials.size() > 1) {
          for (ServerDayShard in : partials) {
            byte[] now = CoderUtils.encodeToByteArray(ServerDayShard.Coder.of(), in);
            assertTrue(before.stream().anyMatch(b -> java.util.Arrays.equals(b, now)),
                "merging must not change its inputs");
          }
        }
        // read as the explode and totals steps read it: decoded on the way, no by-server map
        List<ServerDay> streamed = new ArrayList<>();
        merged.forEachServerDay(streamed::add);
        assertEquals(merged.size(), streamed.size());
        for (ServerDay d : streamed) {
          assertEquals(e.getKey(), ServerDayShard.key(d.logEpochDay(), d.serverId()), "server-day in the wrong shard");
          assertEquals(null, actual.put(d.logEpochDay() + "/" + d.serverId(), d), "a server-day in two shards");
        }
        List<ServerDay> fromMap = new ArrayList<>();
        merged.serverDays(); // decoded into its map now
        merged.forEachServerDay(fromMap::add);
        assertEquals(new java.util.HashSet<>(streamed), new java.util.HashSet<>(fromMap));
      }
      assertEquals(expected, actual, "split " + seed);
    }
  }

  @Test
  void shardTotalsAddUpToTheStreamingGraphsTotals() {
    List<SecurityPing> pings = pings(11);
    Map<String, ServerDay> days = direct(pings);
    // streaming: DayTotals.of over the day's contributions
    List<TotalsContribution> day0 = new ArrayList<>();
    Map<Integer, ServerDayShard> shards = new HashMap<>();
    for (ServerDay d : days.values()) {
      if (d.logEpochDay() == DAY) {
        day0.add(TotalsContribution.of(d));
      }
    }
    for (SecurityPing p : pings) {
      if (p.logEpochDay() == DAY) {
        shards.computeIfAbsent(ServerDayShard.key(DAY, p.serverId()), k -> new ServerDayShard()).add(p);
      }
    }
    DayTotals expected = DayTotals.of(DAY, day0);
    // backfill: per-shard sums, added in any order
    List<DayTotals> partial = new ArrayList<>();
    for (ServerDayShard s : shards.values()) {
      Map<BreakdownKey, long[]> sums = new HashMap<>();
      s.forEachServerDay(d -> DayTotals.add(sums, TotalsContribution.of(d)));
      partial.add(DayTotals.ofSums(DAY, sums));
    }
    assertTrue(shards.size() > 5, "the test needs several shards, got " + shards.size());
    Collections.shuffle(partial, new Random(3));
    SumShardTotals.SumFn fn = new SumShardTotals.SumFn();
    DayTotals acc = fn.createAccumulator();
    for (DayTotals t : partial) {
      acc = fn.addInput(acc, t);
    }
    assertEquals(expected, fn.extractOutput(fn.mergeAccumulators(List.of(fn.createAccumulator(), acc))));
    assertTrue(expected.activeServers() > 0 && expected.activeServers() < 40, "some servers excluded");
  }

  @Test
  void keysSpreadADaysServersAndGiveTheDayBack() {
    Set<Integer> keys = new HashSet<>();
    for (int s = 0; s < 20_000; s++) {
      int k = ServerDayShard.key(DAY, id("server" + s));
      assertEquals(DAY, ServerDayShard.epochDayOf(k));
      keys.add(k);
    }
    assertEquals(ServerDayShard.SHARDS, keys.size(), "every shard is used");
    assertEquals(-1, ServerDayShard.epochDayOf(ServerDayShard.key(-1, id("before1970"))));
  }

  @Test
  void copiesAndMergesNeverChangeTheirSource() throws Exception {
    ServerDayShard a = new ServerDayShard();
    a.add(ping(id("a"), "2026-11-20T08:00:00Z", 5L, 10L));
    ServerDayShard b = new ServerDayShard();
    b.add(ping(id("a"), "2026-11-20T09:00:00Z", 7L, 10L, "9.6.0", "203.0.113.9", 0));
    byte[] bBefore = CoderUtils.encodeToByteArray(ServerDayShard.Coder.of(), b);
    ServerDayShard c = a.copy();
    c.mergeFrom(b);
    assertEquals(1, a.get(id("a")).pings(), "the copy's source");
    assertEquals(2, c.get(id("a")).pings());
    assertEquals(2, c.get(id("a")).distinctIps());
    assertEquals(b, CoderUtils.decodeFromByteArray(ServerDayShard.Coder.of(), bBefore), "the merged-in shard");
    assertNotSame(a.get(id("a")), c.get(id("a")));
  }

  @Test
  void theCoderRoundTripsAndRejectsDamage() throws Exception {
    ServerDayShard s = new ServerDayShard();
    for (SecurityPing p : pings(3)) {
      s.add(p);
    }
    assertEquals(s, roundTrip(s));
    assertEquals(new ServerDayShard(), roundTrip(new ServerDayShard()));
    byte[] bytes = CoderUtils.encodeToByteArray(ServerDayShard.Coder.of(), s);
    byte[] cut = java.util.Arrays.copyOf(bytes, bytes.length - 10);
    assertThrows(
        java.io.IOException.class,
        () -> ServerDayShard.Coder.of().decode(new java.io.ByteArrayInputStream(cut)));
    // shards decode their server-days when first used: damage inside them is reported then
    byte[] damaged = bytes.clone();
    for (int i = damaged.length - 40; i < damaged.length; i++) {
      damaged[i] = (byte) 0xff;
    }
    ServerDayShard lazy = CoderUtils.decodeFromByteArray(ServerDayShard.Coder.of(), damaged);
    assertEquals(s.size(), lazy.size(), "the count is known without decoding");
    IllegalStateException e = assertThrows(IllegalStateException.class, lazy::serverDays);
    assertTrue(e.getMessage().startsWith("corrupt server-day shard"), e.getMessage());
    // passed on undecoded, a shard is written back byte for byte
    assertEquals(
        java.util.Arrays.toString(bytes),
        java.util.Arrays.toString(
            CoderUtils.encodeToByteArray(
                ServerDayShard.Coder.of(), CoderUtils.decodeFromByteArray(ServerDayShard.Coder.of(), bytes))));
  }

  /** The kept encoding (one per consumer of the reading step) is dropped as soon as the shard changes. */
  @Test
  void aSecondEncodingEqualsTheFirstAndFollowsChanges() throws Exception {
    List<SecurityPing> pings = pings(3);
    ServerDayShard s = new ServerDayShard();
    ServerDayShard fresh = new ServerDayShard();
    for (SecurityPing p : pings.subList(0, pings.size() / 2)) {
      s.add(p);
      fresh.add(p);
    }
    byte[] first = CoderUtils.encodeToByteArray(ServerDayShard.Coder.of(), s);
    assertTrue(java.util.Arrays.equals(first, CoderUtils.encodeToByteArray(ServerDayShard.Coder.of(), s)));
    for (SecurityPing p : pings.subList(pings.size() / 2, pings.size())) {
      s.add(p);
    }
    ServerDayShard other = new ServerDayShard();
    other.add(pings.get(0));
    s.mergeFrom(other);
    ServerDayShard expected = fresh.copy();
    for (SecurityPing p : pings.subList(pings.size() / 2, pings.size())) {
      expected.add(p);
    }
    expected.mergeFrom(other);
    assertEquals(expected, roundTrip(s), "the encoding after add and mergeFrom holds the changes");
    assertTrue(!java.util.Arrays.equals(first, CoderUtils.encodeToByteArray(ServerDayShard.Coder.of(), s)));
  }

  private static ServerDayShard roundTrip(ServerDayShard s) throws Exception {
    return CoderUtils.decodeFromByteArray(
        ServerDayShard.Coder.of(), CoderUtils.encodeToByteArray(ServerDayShard.Coder.of(), s));
  }
}
