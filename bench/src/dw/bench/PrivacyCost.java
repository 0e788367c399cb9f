package dw.bench;

import dw.geo.GeoLookup;
import dw.geo.GeoLookups;
import dw.transforms.cloudfront.CloudFrontLayout;
import dw.transforms.cloudfront.CloudFrontLine;
import dw.transforms.cloudfront.CloudFrontRedaction;
import dw.transforms.privacy.ClientIpPolicy;
import dw.transforms.privacy.IpPseudonymizer;
import dw.transforms.security.ExclusionRules;
import dw.transforms.security.PingClassifier;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * The per-line cost of client-IP pseudonymization in the parse step, A/B in one JVM: the data set's
 * lines are inflated into memory once, then parse + classify + GeoIP + complete runs over them
 * alternately without and with a {@link ClientIpPolicy} (hash + fingerprint per ping, through the
 * per-reader cache), for several rounds; and the dead-letter redaction over every data line. Times
 * are the thread's CPU time (not wall time: the machine may be busy). Prints one JSON line: CPU ns
 * per line of each variant (min and median over the rounds) and per redacted line.
 *
 * <p>Usage: {@code PrivacyCost <logs dir> <city.mmdb> [rounds]}
 */
public final class PrivacyCost {
  public static void main(String[] args) throws Exception {
    Path dir = Paths.get(args[0]);
    GeoLookup geo = GeoLookups.shared(args[1], null);
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 7;
    List<String> lines = new ArrayList<>();
    for (Path f : Floor.logFiles(dir)) {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(
          new GZIPInputStream(Files.newInputStream(f), 1 << 16), StandardCharsets.UTF_8), 1 << 16)) {
        for (String l = r.readLine(); l != null; l = r.readLine()) {
          lines.add(l);
        }
      }
    }
    ClientIpPolicy policy = new ClientIpPolicy(new IpPseudonymizer(new byte[32]), false, false);
    ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
    double[] off = new double[rounds];
    double[] on = new double[rounds];
    long checksum = 0;
    long[] counts = new long[3];
    for (int r = 0; r < rounds; r++) {
      for (int k = 0; k < 2; k++) {
        int variant = (r + k) % 2; // alternate which variant runs first
        // a new classifier per run, as a new DoFn instance: the cache starts empty each time
        PingClassifier c = new PingClassifier(ExclusionRules.DEFAULT);
        if (variant == 1) {
          c.clientIps(policy);
        }
        long t0 = cpu.getCurrentThreadCpuTime();
        checksum += ParseGeo.parse(lines, c, geo, counts);
        double ns = (double) (cpu.getCurrentThreadCpuTime() - t0) / lines.size();
        (variant == 0 ? off : on)[r] = ns;
      }
    }
    // the redaction of every data line (dead letters are a few per thousand lines in practice)
    CloudFrontLayout layout = CloudFrontLayout.STANDARD;
    double[] redact = new double[rounds];
    for (int r = 0; r < rounds; r++) {
      long t0 = cpu.getCurrentThreadCpuTime();
      long n = 0;
      for (String l : lines) {
        if (!CloudFrontLayout.isHeader(l)) {
          checksum += CloudFrontRedaction.redact(l, layout, policy).length();
          n++;
        }
      }
      redact[r] = (double) (cpu.getCurrentThreadCpuTime() - t0) / n;
    }
    HashSet<String> ips = new HashSet<>();
    PingClassifier c = new PingClassifier(ExclusionRules.DEFAULT);
    CloudFrontLine line = new CloudFrontLine();
    long pingCount = 0;
    for (String l : lines) {
      if (!CloudFrontLayout.isHeader(l) && line.reset(l, layout) && c.classify(line) == PingClassifier.Outcome.PING) {
        pingCount++;
        ips.add(String.valueOf(c.clientIp()));
      }
    }
    System.out.printf(
        "{\"lines\":%d,\"pings\":%d,\"distinct_client_ips\":%d,\"rounds\":%d,"
            + "\"cpu_ns_per_line_without\":{\"min\":%.0f,\"median\":%.0f},"
            + "\"cpu_ns_per_line_with\":{\"min\":%.0f,\"median\":%.0f},"
            + "\"cpu_ns_per_redacted_line\":{\"min\":%.0f,\"median\":%.0f},\"checksum\":%d}%n",
        lines.size(), pingCount, ips.size(), rounds, min(off), median(off), min(on), median(on),
        min(redact), median(redact), checksum);
  }

  private static double min(double[] v) {
    return Arrays.stream(v).min().orElse(0);
  }

  private static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s[s.length / 2];
  }
}
