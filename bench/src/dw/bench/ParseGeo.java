package dw.bench;

import dw.geo.GeoInfo;
import dw.geo.GeoLookup;
import dw.geo.GeoLookups;
import dw.transforms.cloudfront.CloudFrontLayout;
import dw.transforms.cloudfront.CloudFrontLine;
import dw.transforms.privacy.ClientIpPolicy;
import dw.transforms.privacy.IpPseudonymizer;
import dw.transforms.security.ExclusionRules;
import dw.transforms.security.PingClassifier;
import dw.transforms.security.SecurityPing;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.zip.GZIPInputStream;

/**
 * Parse + classify + GeoIP + exclusion rules in plain Java, one thread, no Beam: the same code the
 * pipeline's fused step runs. Prints one JSON line.
 */
public final class ParseGeo {
  public static void main(String[] args) throws Exception {
    Path dir = Paths.get(args[0]);
    GeoLookup geo = GeoLookups.shared(args[1], null);
    // the client IP pseudonymized as the pipeline's parse step does (hash + fingerprint per ping)
    PingClassifier classifier = new PingClassifier(ExclusionRules.DEFAULT)
        .clientIps(new ClientIpPolicy(new IpPseudonymizer(new byte[32]), false, false));
    long t0 = System.nanoTime();
    long[] counts = new long[3];
    long checksum = 0;
    for (Path f : Floor.logFiles(dir)) {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(
          new GZIPInputStream(Files.newInputStream(f), 1 << 16), StandardCharsets.UTF_8), 1 << 16)) {
        checksum += parse(r.lines()::iterator, classifier, geo, counts);
      }
    }
    long lines = counts[0];
    long bytes = counts[1];
    long pings = counts[2];
    double s = (System.nanoTime() - t0) / 1e9;
    System.out.printf("{\"lines\":%d,\"bytes\":%d,\"pings\":%d,\"checksum\":%d,\"seconds\":%.3f}%n",
        lines, bytes, pings, checksum, s);
  }

  /**
   * The fused step's per-line work over one file's lines (its own layout, from its #Fields header):
   * adds lines, characters + 1 and pings to {@code counts}; returns a checksum of the pings.
   */
  static long parse(Iterable<String> file, PingClassifier classifier, GeoLookup geo, long[] counts) {
    CloudFrontLine line = new CloudFrontLine();
    CloudFrontLayout layout = CloudFrontLayout.STANDARD;
    long checksum = 0;
    for (String raw : file) {
      counts[0]++;
      counts[1] += raw.length() + 1;
      if (CloudFrontLayout.isHeader(raw)) {
        if (CloudFrontLayout.isFieldsHeader(raw)) {
          layout = CloudFrontLayout.fromFieldsHeader(raw);
        }
        continue;
      }
      line.reset(raw, layout);
      if (classifier.classify(line) == PingClassifier.Outcome.PING) {
        GeoInfo g = geo.lookup(classifier.clientIp());
        SecurityPing p = classifier.complete(g.countryIso(), g.countryName(), g.subdivisionIso(),
            g.subdivisionName(), g.city(), g.asn());
        counts[2]++;
        checksum += p.exclusionMask() + (p.countryIso() == null ? 0 : p.countryIso().length())
            + (int) p.clientIpFingerprint();
      }
    }
    return checksum;
  }
}
