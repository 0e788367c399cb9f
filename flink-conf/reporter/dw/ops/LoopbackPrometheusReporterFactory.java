package dw.ops;

import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.exporter.HTTPServer;
import java.io.IOException;
import java.lang.reflect.Field;
import java.net.InetSocketAddress;
import java.util.Properties;
import org.apache.flink.metrics.prometheus.AbstractPrometheusReporter;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;

/**
 * Flink's Prometheus reporter served on one address ({@code metrics.reporter.<name>.host}, default
 * 127.0.0.1) instead of every interface: Flink 1.19's PrometheusReporter binds the wildcard
 * address and has no host option. Same metrics and names as Flink's reporter (it is the same
 * collector code, {@link AbstractPrometheusReporter}); only the HTTP server differs.
 *
 * <p>Built by flink-conf/local-cluster into the cluster's lib/ (javac against the cluster
 * classpath); on a production cluster copy that jar to lib/ or use Flink's reporter.
 *
 * <p>Options: {@code port} (a port or a range like 9249-9259: the first free one is taken, so a
 * JobManager and a TaskManager on one host can both serve), {@code host}.
 */
public final class LoopbackPrometheusReporterFactory implements MetricReporterFactory {
  @Override
  public MetricReporter createMetricReporter(Properties properties) {
    String host = properties.getProperty("host", "127.0.0.1");
    String ports = properties.getProperty("port", "9249");
    int first;
    int last;
    int dash = ports.indexOf('-');
    if (dash > 0) {
      first = Integer.parseInt(ports.substring(0, dash).trim());
      last = Integer.parseInt(ports.substring(dash + 1).trim());
    } else {
      first = Integer.parseInt(ports.trim());
      last = first;
    }
    return new Reporter(host, first, last);
  }

  /** The collectors of Flink's reporter, served by an HTTP server bound to {@code host}. */
  static final class Reporter extends AbstractPrometheusReporter {
    private final HTTPServer server;

    Reporter(String host, int firstPort, int lastPort) {
      CollectorRegistry registry = registryOf(this);
      IOException last = null;
      HTTPServer started = null;
      for (int port = firstPort; port <= lastPort && started == null; port++) {
        try {
          started = new HTTPServer(new InetSocketAddress(host, port), registry, true);
          log.info("Prometheus metrics served on http://{}:{}/metrics", host, port);
        } catch (IOException e) {
          last = e;
        }
      }
      if (started == null) {
        throw new IllegalStateException(
            "no free port for the Prometheus reporter on " + host + " in " + firstPort + "-" + lastPort, last);
      }
      this.server = started;
    }

    @Override
    public void close() {
      server.stop();
      super.close();
    }

    /** The reporter's registry (package-private in Flink 1.19, no getter). */
    private static CollectorRegistry registryOf(AbstractPrometheusReporter reporter) {
      try {
        Field f = AbstractPrometheusReporter.class.getDeclaredField("registry");
        f.setAccessible(true);
        return (CollectorRegistry) f.get(reporter);
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException("this Flink version's AbstractPrometheusReporter has no registry field", e);
      }
    }
  }
}
