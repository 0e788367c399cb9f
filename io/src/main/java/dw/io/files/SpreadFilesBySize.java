package dw.io.files;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.MetadataCoderV2;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.transforms.Values;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.util.CoderUtils;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.flink.util.MathUtils;

/**
 * Spreads a backfill's files over the workers so that each reads about the same number of bytes.
 *
 * <p>A backfill's reading step is most of its time, and the steps after it start only when the
 * last worker has read its last file. {@code Reshuffle.viaRandomKey()} hands the files out by the
 * hash of a random key: for 384 files on 2 workers one worker read about 2 s longer than the other
 * while the other core had nothing to do (docs/performance.md). Here the listed files are gathered
 * in one place, sorted by size and assigned largest first to the worker with the fewest bytes so
 * far (the LPT rule: no worker gets more than the fair share plus one file), then moved with one
 * key per worker. Flink's batch runner sends a key to the subtask {@code murmurHash(hash of the
 * key's encoded bytes) % parallelism} (its hash partitioner); {@link #subtaskOf} computes the same,
 * and {@code SpreadFilesBySizeFlinkTest} checks it on Flink. Another runner or partitioner may send
 * the keys elsewhere: every file is still read exactly once, only the balance is lost.
 */
public final class SpreadFilesBySize
    extends PTransform<PCollection<MatchResult.Metadata>, PCollection<MatchResult.Metadata>> {

  @Override
  public PCollection<MatchResult.Metadata> expand(PCollection<MatchResult.Metadata> files) {
    return files
        .apply("KeyAll", WithKeys.of(0))
        .setCoder(KvCoder.of(VarIntCoder.of(), MetadataCoderV2.of()))
        .apply("GatherFiles", GroupByKey.create())
        .apply("AssignWorkers", ParDo.of(new AssignFn()))
        .setCoder(KvCoder.of(VarIntCoder.of(), MetadataCoderV2.of()))
        .apply("MoveToWorkers", Reshuffle.of())
        .apply("DropWorkerKeys", Values.create());
  }

  /** The listed files, each keyed by the worker that should read it. */
  static final class AssignFn
      extends DoFn<KV<Integer, Iterable<MatchResult.Metadata>>, KV<Integer, MatchResult.Metadata>> {
    @ProcessElement
    public void process(
        @Element KV<Integer, Iterable<MatchResult.Metadata>> all,
        PipelineOptions options,
        OutputReceiver<KV<Integer, MatchResult.Metadata>> out) {
      // set by the Flink runner before translation: the parallelism the job runs with
      int workers = Math.max(1, options.as(FlinkPipelineOptions.class).getParallelism());
      List<MatchResult.Metadata> files = new ArrayList<>();
      all.getValue().forEach(files::add);
      int[] worker = assign(sizes(files), workers);
      int[] keys = keysForSubtasks(workers);
      for (int i = 0; i < files.size(); i++) {
        out.output(KV.of(keys[worker[i]], files.get(i)));
      }
    }
  }

  private static long[] sizes(List<MatchResult.Metadata> files) {
    long[] s = new long[files.size()];
    for (int i = 0; i < s.length; i++) {
      s[i] = Math.max(0, files.get(i).sizeBytes());
    }
    return s;
  }

  /**
   * The worker of each file: largest first, each to the worker with the fewest bytes so far (ties:
   * the lower worker, and files of equal size in input order, so the result is deterministic).
   */
  static int[] assign(long[] sizes, int workers) {
    Integer[] order = new Integer[sizes.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, Comparator.<Integer>comparingLong(i -> sizes[i]).reversed().thenComparingInt(i -> i));
    long[] load = new long[workers];
    int[] worker = new int[sizes.length];
    for (int i : order) {
      int w = 0;
      for (int j = 1; j < workers; j++) {
        if (load[j] < load[w]) {
          w = j;
        }
      }
      worker[i] = w;
      load[w] += sizes[i];
    }
    return worker;
  }

  /** For each subtask 0..n-1, the smallest non-negative key that Flink's hash partitioner sends there. */
  static int[] keysForSubtasks(int subtasks) {
    int[] keys = new int[subtasks];
    Arrays.fill(keys, -1);
    int found = 0;
    for (int k = 0; found < subtasks; k++) {
      int s = subtaskOf(k, subtasks);
      if (keys[s] < 0) {
        keys[s] = k;
        found++;
      }
    }
    return keys;
  }

  /**
   * The subtask a key of this transform goes to in Flink's batch runner: the runner groups by the
   * key's encoded bytes (KvKeySelector), compared by {@code Arrays.hashCode} (EncodedValueComparator),
   * and Flink's OutputEmitter picks {@code MathUtils.murmurHash(hash) % channels}.
   */
  static int subtaskOf(int key, int subtasks) {
    try {
      byte[] encoded = CoderUtils.encodeToByteArray(VarIntCoder.of(), key);
      return MathUtils.murmurHash(Arrays.hashCode(encoded)) % subtasks;
    } catch (CoderException e) {
      throw new IllegalStateException(e);
    }
  }
}
