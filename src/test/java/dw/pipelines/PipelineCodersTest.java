package dw.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.runners.TransformHierarchy;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No element of the pipelines is encoded by Java serialization or Kryo: every PCollection's coder,
 * down to its components, is one of Beam's structured coders or the project's block coders. On the
 * Flink runner, Beam wraps every coder in its own type information, so Flink itself never falls
 * back to Kryo; this pins the Beam side (a missing coder would otherwise silently become a
 * SerializableCoder, the slowest and least evolvable choice).
 */
class PipelineCodersTest {
  @TempDir Path dir;

  private Map<String, String> coders(boolean bounded, boolean lake) throws Exception {
    Files.createDirectories(dir.resolve("in"));
    List<String> args =
        new ArrayList<>(List.of("--input=" + dir.resolve("in"), "--warehouse=" + dir.resolve("w.duckdb")));
    if (bounded) {
      args.add("--from=2026-11-01");
      args.add("--to=2026-11-02");
    }
    if (lake) {
      args.add("--lake=" + dir.resolve("lake"));
    }
    SecurityPingsOptions o = PipelineSupport.parse(args.toArray(new String[0]), SecurityPingsOptions.class);
    Pipeline p = Pipeline.create(o);
    SecurityPingsPipeline.build(p, o, SecurityPingsPipeline.validate(o));
    Map<String, String> byCollection = new TreeMap<>();
    p.traverseTopologically(
        new Pipeline.PipelineVisitor.Defaults() {
          @Override
          public void visitValue(PValue value, TransformHierarchy.Node producer) {
            if (value instanceof PCollection<?> pc) {
              byCollection.put(pc.getName(), describe(pc.getCoder()));
            }
          }
        });
    return byCollection;
  }

  /** The coder and its components, e.g. {@code KvCoder(StringUtf8Coder,ServerDayCoder)}. */
  static String describe(Coder<?> c) {
    List<? extends Coder<?>> parts = c.getCoderArguments();
    StringBuilder sb = new StringBuilder(c.getClass().getSimpleName());
    if (c instanceof org.apache.beam.sdk.coders.StructuredCoder<?> s && !s.getComponents().isEmpty()) {
      parts = s.getComponents();
    }
    if (!parts.isEmpty()) {
      sb.append('(');
      for (int i = 0; i < parts.size(); i++) {
        sb.append(i == 0 ? "" : ",").append(describe(parts.get(i)));
      }
      sb.append(')');
    }
    return sb.toString();
  }

  private static void assertNoSerializationFallback(Map<String, String> coders) {
    assertFalse(coders.isEmpty());
    coders.forEach(
        (pc, coder) -> {
          assertFalse(
              coder.contains(SerializableCoder.class.getSimpleName()) || coder.contains("Kryo"),
              pc + " is encoded by Java serialization/Kryo: " + coder);
        });
  }

  @Test
  void backfillUsesNoJavaSerializationOrKryo() throws Exception {
    Map<String, String> c = coders(true, false);
    assertNoSerializationFallback(c);
    // the per-line hot path emits hash-aggregated server-day shards (no per-ping output without
    // the lake), in the project's block coders
    assertEquals(
        "KvCoder(VarIntCoder,Coder)",
        c.get("ParseSecurityPings/ReadParseEnrich.serverDayShards").replace(" ", ""),
        "shards coder");
    assertFalse(c.containsKey("ParseSecurityPings/ReadParseEnrich.pings"), c.toString());
    assertTrue(c.values().stream().anyMatch(v -> v.contains("ServerDayCoder")), c.toString());
    Map<String, String> lake = coders(true, true);
    assertNoSerializationFallback(lake);
    assertEquals("SecurityPingCoder", lake.get("ParseSecurityPings/ReadParseEnrich.pings"), "pings coder");
  }

  @Test
  void streamingAndLakeUseNoJavaSerializationOrKryo() throws Exception {
    assertNoSerializationFallback(coders(false, false));
    assertNoSerializationFallback(coders(false, true));
  }

  @Test
  void pushProxyUsesNoJavaSerializationOrKryo() throws Exception {
    for (boolean bounded : new boolean[] {true, false}) {
      Files.createDirectories(dir.resolve("in"));
      List<String> args =
          new ArrayList<>(List.of("--input=" + dir.resolve("in"), "--warehouse=" + dir.resolve("p.duckdb")));
      if (bounded) {
        args.add("--from=2026-11-01");
        args.add("--to=2026-11-02");
      }
      PushProxyOptions o = PipelineSupport.parse(args.toArray(new String[0]), PushProxyOptions.class);
      Pipeline p = Pipeline.create(o);
      PushProxyPipeline.build(p, o, PushProxyPipeline.validate(o));
      Map<String, String> c = new TreeMap<>();
      p.traverseTopologically(
          new Pipeline.PipelineVisitor.Defaults() {
            @Override
            public void visitValue(PValue value, TransformHierarchy.Node producer) {
              if (value instanceof PCollection<?> pc) {
                c.put(pc.getName(), describe(pc.getCoder()));
              }
            }
          });
      assertNoSerializationFallback(c);
      if (bounded) {
        // partial hour aggregates from the reading step, no element per request without the lake
        assertEquals("KvCoder(StringUtf8Coder,Coder)", c.get("ParsePushRequests/ReadParseEnrich.hourShards"), c.toString());
        assertTrue(!c.containsKey("ParsePushRequests/ReadParseEnrich.requests"), c.toString());
      } else {
        assertEquals("Coder", c.get("ParsePushRequests/ReadParseEnrich.requests"), c.toString());
      }
    }
  }
}
