package dw.bench;

import dw.transforms.daily.AggregateDailyTotals;
import dw.transforms.daily.DayTotals;
import dw.transforms.daily.ServerDay;
import dw.transforms.daily.ServerDayCoder;
import dw.transforms.daily.TotalsContribution;
import dw.transforms.privacy.ClientIpPolicy;
import dw.transforms.privacy.IpPseudonymizer;
import dw.transforms.security.ExclusionReason;
import dw.transforms.security.SecurityPing;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.runners.flink.FlinkRunner;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Impulse;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * No hot key per day (issue 10): one open day of N servers through the streaming daily-totals
 * aggregation on embedded Flink at parallelism 2, with Flink's own per-subtask {@code numRecordsIn}
 * of every operator ({@link RecordsInReporter}).
 *
 * <p>Mode {@code sharded}: the pipeline's {@link AggregateDailyTotals} (CombinePerShard over 64
 * shards of the server id, then CombinePerDay over the shards' totals). Mode {@code single}: the
 * former design for comparison, every server-day of the day combined on the day's one key
 * (the same {@link AggregateDailyTotals.TotalsFn}).
 *
 * <p>The job ends on its own: a bounded generator (Impulse, split into slices that a rebalance
 * spreads over both subtasks) emits the N server-days of one UTC day with event timestamps in
 * that day; checkpointing is off, so Flink's sources shut down once idle
 * ({@code shutdownSourcesAfterIdleMs=0}) and the final watermark closes the day's windows (on-time
 * pane). The last pane's totals are checked against the truth counted by the generator's own loop
 * here: active servers = N minus every 97th server, which is marked excluded.
 *
 * <p>Args: servers mode(sharded|single) flinkConfDir [slices=16]. Prints one JSON line.
 */
public final class TotalsSpread {
  static final LocalDate DAY = LocalDate.of(2026, 10, 1);
  static final int EXCLUDE_EVERY = 97;
  static final String[] COUNTRIES = {"US", "DE", "FR", "IN", "BR"};

  /** Final outputs of the run (embedded Flink: same JVM). */
  static final Queue<String[]> PANES = new ConcurrentLinkedQueue<>();

  public static void main(String[] args) throws Exception {
    int servers = Integer.parseInt(args[0]);
    String mode = args[1];
    Path confDir = Path.of(args[2]);
    int slices = args.length > 3 ? Integer.parseInt(args[3]) : 16;
    if (!mode.equals("sharded") && !mode.equals("single")) {
      throw new IllegalArgumentException("mode must be sharded or single: " + mode);
    }
    Files.createDirectories(confDir);
    Files.writeString(confDir.resolve("flink-conf.yaml"),
        "metrics.reporter.recordsin.factory.class: " + RecordsInReporter.Factory.class.getName() + "\n"
            + "pipeline.generic-types: false\n");

    // the truth, from the generator's rule alone
    long expectedActive = 0;
    long expectedActiveUsers = 0;
    for (int i = 0; i < servers; i++) {
      if (i % EXCLUDE_EVERY != 0) {
        expectedActive++;
        expectedActiveUsers += activeUsers(i);
      }
    }

    FlinkPipelineOptions o = PipelineOptionsFactory.as(FlinkPipelineOptions.class);
    o.setRunner(FlinkRunner.class);
    o.setStreaming(true);
    o.setParallelism(2);
    o.setCheckpointingInterval(-1L);
    o.setShutdownSourcesAfterIdleMs(0L); // sources finish once idle: the final watermark closes the day
    o.setFlinkConfDir(confDir.toString());
    o.setJobName("totals-spread-" + mode);
    o.setObjectReuse(true); // as the project's pipelines run (PipelineSupport)
    o.setFasterCopy(true);
    Duration lateness = Duration.standardHours(25); // the security-pings defaults
    Duration earlyFiring = Duration.standardSeconds(60);

    Pipeline p = Pipeline.create(o);
    PCollection<ServerDay> days =
        p.apply("Impulse", Impulse.create())
            .apply("SplitIntoSlices", ParDo.of(new SlicesFn(slices)))
            .setCoder(VarIntCoder.of())
            .apply("SpreadSlices", Reshuffle.viaRandomKey())
            .apply("GenerateServerDays", ParDo.of(new GenerateFn(servers, slices)))
            .setCoder(ServerDayCoder.of())
            .apply("WindowIntoDays",
                dw.transforms.windows.WindowIntoFixed.<ServerDay>of(Duration.standardDays(1), lateness, earlyFiring));
    if (mode.equals("sharded")) {
      days.apply("AggregateDailyTotals", new AggregateDailyTotals(lateness, earlyFiring))
          .apply("RecordTotals", ParDo.of(new RecordFn()));
    } else {
      days.apply("KeyByDayOnly", ParDo.of(new KeyByDayOnlyFn()))
          .setCoder(KvCoder.of(VarIntCoder.of(), TotalsContribution.Coder.of()))
          .apply("CombineWholeDay", Combine.perKey(new AggregateDailyTotals.TotalsFn()))
          .setCoder(KvCoder.of(VarIntCoder.of(), DayTotals.Coder.of()))
          .apply("RecordTotals", ParDo.of(new RecordKeyedFn()));
    }

    long t0 = System.nanoTime();
    p.run().waitUntilFinish();
    double seconds = (System.nanoTime() - t0) / 1e9;

    List<String[]> panes = new ArrayList<>(PANES);
    String[] last = null;
    java.util.Set<String> keys = new java.util.TreeSet<>();
    for (String[] pane : panes) {
      keys.add(pane[0]);
      if (last == null || Long.parseLong(pane[1]) > Long.parseLong(last[1])) {
        last = pane;
      }
    }
    if (last == null) {
      throw new IllegalStateException("no totals were emitted");
    }
    long active = Long.parseLong(last[3]);
    long users = Long.parseLong(last[4]);
    boolean correct = active == expectedActive && users == expectedActiveUsers && keys.size() == 1;

    StringBuilder json = new StringBuilder("{\"servers\":").append(servers)
        .append(",\"mode\":\"").append(mode).append('"')
        .append(",\"slices\":").append(slices)
        .append(",\"seconds\":").append(String.format("%.2f", seconds))
        .append(",\"days\":").append(keys.size())
        .append(",\"panes\":").append(panes.size())
        .append(",\"last_pane\":\"").append(last[2]).append('"')
        .append(",\"active_servers\":").append(active)
        .append(",\"expected_active_servers\":").append(expectedActive)
        .append(",\"active_users\":").append(users)
        .append(",\"expected_active_users\":").append(expectedActiveUsers)
        .append(",\"correct\":").append(correct)
        .append(",\"heap_peak_bytes\":").append(heapPeak())
        .append(",\"records_in\":{");
    boolean first = true;
    for (Map.Entry<String, Map<Integer, Long>> e : RecordsInReporter.snapshot().entrySet()) {
      json.append(first ? "" : ",").append('"').append(e.getKey().replace("\"", "'")).append("\":{");
      first = false;
      boolean f2 = true;
      for (Map.Entry<Integer, Long> s : e.getValue().entrySet()) {
        json.append(f2 ? "" : ",").append('"').append(s.getKey()).append("\":").append(s.getValue());
        f2 = false;
      }
      json.append('}');
    }
    json.append("}}");
    System.out.println(json);
    if (!correct) {
      System.err.println("WRONG totals: " + json);
      System.exit(2);
    }
    System.exit(0); // the mini cluster's non-daemon threads
  }

  static long activeUsers(int i) {
    return i % 500;
  }

  /** Sum of the peak usage of the heap pools (an upper bound of the peak heap). */
  static long heapPeak() {
    long sum = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
        sum += pool.getPeakUsage().getUsed();
      }
    }
    return sum;
  }

  static final class SlicesFn extends DoFn<byte[], Integer> {
    private final int slices;

    SlicesFn(int slices) {
      this.slices = slices;
    }

    @ProcessElement
    public void process(OutputReceiver<Integer> out) {
      for (int s = 0; s < slices; s++) {
        out.output(s);
      }
    }
  }

  /** The server-days of slice s: servers i with i % slices == s, one ping each in the day. */
  static final class GenerateFn extends DoFn<Integer, ServerDay> {
    private final int servers;
    private final int slices;
    private transient ClientIpPolicy ips;

    GenerateFn(int servers, int slices) {
      this.servers = servers;
      this.slices = slices;
    }

    @Setup
    public void setup() {
      ips = new ClientIpPolicy(new IpPseudonymizer(new byte[32]), false, false);
    }

    @ProcessElement
    public void process(@Element Integer slice, OutputReceiver<ServerDay> out) {
      long dayStart = DAY.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
      for (int i = slice; i < servers; i += slices) {
        long t = dayStart + (i % 86_000) * 1000L;
        SecurityPing ping = SecurityPing.builder()
            .serverId(String.format("%026d", i))
            .rawBuild("9.5." + (i % 12) + ".9.5." + (i % 12))
            .enterpriseReady(i % 2 == 0)
            .database(i % 3 == 0 ? "mysql" : "postgres")
            .os("linux")
            .registeredUsers(1000L + i % 1000)
            .teams(3L)
            .clientIp("203." + (i >>> 16 & 255) + "." + (i >>> 8 & 255) + "." + (i & 255))
            .geo(COUNTRIES[i % COUNTRIES.length], null, null, null, null, null)
            .pseudonymize(ips)
            .exclusionMask(i % EXCLUDE_EVERY == 0 ? ExclusionReason.RAN_UNIT_TESTS.bit() : 0)
            .eventTimeMillis(t)
            .activeUsers(activeUsers(i))
            .build();
        out.outputWithTimestamp(new ServerDay().add(ping), new Instant(t));
      }
    }
  }

  /** The former single-key design: every server-day of a day on the day's key. */
  static final class KeyByDayOnlyFn extends DoFn<ServerDay, KV<Integer, TotalsContribution>> {
    @ProcessElement
    public void process(@Element ServerDay d, OutputReceiver<KV<Integer, TotalsContribution>> out) {
      out.output(KV.of(d.logEpochDay(), TotalsContribution.of(d)));
    }
  }

  static final class RecordFn extends DoFn<DayTotals, Void> {
    @ProcessElement
    public void process(@Element DayTotals t, PaneInfo pane) {
      record(String.valueOf(t.logEpochDay()), t, pane);
    }
  }

  static final class RecordKeyedFn extends DoFn<KV<Integer, DayTotals>, Void> {
    @ProcessElement
    public void process(@Element KV<Integer, DayTotals> kv, PaneInfo pane) {
      if (!kv.getValue().rows().isEmpty() || kv.getValue().logEpochDay() != -2) { // -2: empty closing pane
        record(String.valueOf(kv.getKey()), kv.getValue(), pane);
      }
    }
  }

  static void record(String day, DayTotals t, PaneInfo pane) {
    long users = 0;
    for (DayTotals.Row r : t.rows()) {
      users += r.activeUsers();
    }
    PANES.add(new String[] {day, String.valueOf(pane.getIndex()), pane.getTiming().toString(),
        String.valueOf(t.activeServers()), String.valueOf(users)});
  }
}
