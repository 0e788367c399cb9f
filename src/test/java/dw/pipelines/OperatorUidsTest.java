package dw.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import org.apache.beam.runners.flink.FlinkRunner;
import org.apache.beam.sdk.Pipeline;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.jobgraph.JobVertex;
import org.apache.flink.runtime.OperatorIDPair;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A savepoint restores at another parallelism only if every operator keeps its ID: the streaming
 * job graph of security-pings has the same operator IDs at parallelism 1, 2 and 4 (Flink derives
 * the ID of an operator without a UID from the chaining, which depends on the parallelism).
 */
class OperatorUidsTest {
  @TempDir Path dir;

  private Set<String> operatorIds(int parallelism) throws Exception {
    Files.createDirectories(dir.resolve("in"));
    String[] args = {
      "--input=" + dir.resolve("in"),
      "--warehouse=" + dir.resolve("w.duckdb"),
      "--parallelism=" + parallelism,
    };
    SecurityPingsOptions o = PipelineSupport.parse(args, SecurityPingsOptions.class);
    SecurityPingsPipeline.Config c = SecurityPingsPipeline.validate(o);
    o.setStreaming(true);
    Pipeline p = Pipeline.create(o);
    SecurityPingsPipeline.build(p, o, c);
    // FlinkRunner#getJobGraph translates without running (package-private: tests only)
    Method graph = FlinkRunner.class.getDeclaredMethod("getJobGraph", Pipeline.class);
    graph.setAccessible(true);
    JobGraph g = (JobGraph) graph.invoke(FlinkRunner.fromOptions(o), p);
    Set<String> ids = new TreeSet<>();
    for (JobVertex v : g.getVertices()) {
      for (OperatorIDPair pair : v.getOperatorIDs()) {
        ids.add(pair.getGeneratedOperatorID().toHexString());
      }
    }
    return ids;
  }

  @Test
  void operatorIdsDoNotDependOnParallelism() throws Exception {
    Set<String> p2 = operatorIds(2);
    assertTrue(p2.size() > 10, "expected the streaming graph's operators, got " + p2);
    assertEquals(p2, operatorIds(1), "operator IDs at parallelism 1 differ from 2: a savepoint would not restore");
    assertEquals(p2, operatorIds(4), "operator IDs at parallelism 4 differ from 2");
  }
}
