package dw.io.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.runners.flink.FlinkRunner;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.MetadataCoderV2;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.junit.jupiter.api.Test;

/**
 * SpreadFilesBySize on Flink's batch runner: every file reaches exactly one subtask, and the bytes
 * per subtask differ by at most the largest file (what {@code Reshuffle.viaRandomKey()} did not
 * give: 2 s of one idle core at the end of a 384-file backfill's reading step).
 */
class SpreadFilesBySizeFlinkTest {
  /** Bytes and files seen per subtask (the task thread's name ends in "(i/n)#attempt"). */
  static final Map<String, AtomicLong> BYTES = new ConcurrentHashMap<>();
  static final Set<String> SEEN = ConcurrentHashMap.newKeySet();
  static final AtomicLong DUPLICATES = new AtomicLong();

  @Test
  void lptAssignmentIsDeterministicAndWithinOneFile() {
    long[] sizes = {5, 9, 1, 9, 3, 7, 2, 2, 8};
    int[] w = SpreadFilesBySize.assign(sizes, 2);
    long[] load = new long[2];
    for (int i = 0; i < sizes.length; i++) {
      load[w[i]] += sizes[i];
    }
    assertEquals(46, load[0] + load[1]);
    assertTrue(Math.abs(load[0] - load[1]) <= 9, "loads " + load[0] + "/" + load[1]);
    assertEquals(0, w[1], "the first of the two largest files goes to worker 0");
    assertEquals(1, w[3], "the second of them to worker 1");
  }

  @Test
  void everySubtaskGetsAKey() {
    for (int n = 1; n <= 16; n++) {
      int[] keys = SpreadFilesBySize.keysForSubtasks(n);
      for (int s = 0; s < n; s++) {
        assertEquals(s, SpreadFilesBySize.subtaskOf(keys[s], n));
      }
    }
  }

  @Test
  void filesAreBalancedBySizeOnFlink() {
    for (int parallelism : new int[] {2, 3}) {
      List<MatchResult.Metadata> files = files(97, new Random(parallelism));
      run(files, parallelism);
      assertEquals(files.size(), SEEN.size(), "files read");
      assertEquals(0, DUPLICATES.get(), "files read twice");
      assertEquals(parallelism, BYTES.size(), "subtasks that read files: " + BYTES.keySet());
      long max = Long.MIN_VALUE;
      long min = Long.MAX_VALUE;
      long largest = 0;
      for (MatchResult.Metadata m : files) {
        largest = Math.max(largest, m.sizeBytes());
      }
      for (AtomicLong b : BYTES.values()) {
        max = Math.max(max, b.get());
        min = Math.min(min, b.get());
      }
      assertTrue(
          max - min <= largest,
          "p=" + parallelism + ": bytes per subtask " + BYTES + ", largest file " + largest);
    }
  }

  /** Files of skewed sizes (a few large hours, many small ones), as CloudFront's are. */
  private static List<MatchResult.Metadata> files(int n, Random r) {
    List<MatchResult.Metadata> files = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      long size = (long) (1_000 * Math.exp(r.nextGaussian() * 1.2));
      files.add(
          MatchResult.Metadata.builder()
              .setResourceId(FileSystems.matchNewResource("/logs/E1.2026-10-01-" + i + ".gz", false))
              .setSizeBytes(size)
              .setIsReadSeekEfficient(true)
              .setLastModifiedMillis(0)
              .build());
    }
    return files;
  }

  private static void run(List<MatchResult.Metadata> files, int parallelism) {
    BYTES.clear();
    SEEN.clear();
    DUPLICATES.set(0);
    FlinkPipelineOptions o = PipelineOptionsFactory.create().as(FlinkPipelineOptions.class);
    o.setRunner(FlinkRunner.class);
    o.setParallelism(parallelism);
    Pipeline p = Pipeline.create(o);
    p.apply("CreateFiles", Create.of(files).withCoder(MetadataCoderV2.of()))
        .apply("SpreadFiles", new SpreadFilesBySize())
        .apply("RecordReads", ParDo.of(new RecordFn()));
    assertEquals(PipelineResult.State.DONE, p.run().waitUntilFinish());
  }

  static final class RecordFn extends DoFn<MatchResult.Metadata, Void> {
    @ProcessElement
    public void process(@Element MatchResult.Metadata m) {
      String t = Thread.currentThread().getName();
      String subtask = t.substring(t.lastIndexOf('('), t.lastIndexOf(')') + 1);
      BYTES.computeIfAbsent(subtask, k -> new AtomicLong()).addAndGet(m.sizeBytes());
      if (!SEEN.add(m.resourceId().toString())) {
        DUPLICATES.incrementAndGet();
      }
    }
  }
}
