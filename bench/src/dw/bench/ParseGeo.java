package dw.bench;

import dw.geo.GeoInfo;
import dw.geo.GeoLookup;
import dw.geo.GeoLookups;
import dw.transforms.cloudfront.CloudFrontLayout;
import dw.transforms.cloudfront.CloudFrontLine;
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
    PingClassifier classifier = new PingClassifier(ExclusionRules.DEFAULT);
    CloudFrontLine line = new CloudFrontLine();
    long t0 = System.nanoTime();
    long lines = 0;
    long bytes = 0;
    long pings = 0;
    long checksum = 0;
    for (Path f : Floor.logFiles(dir)) {
      CloudFrontLayout layout = CloudFrontLayout.STANDARD;
      try (BufferedReader r = new BufferedReader(new InputStreamReader(
          new GZIPInputStream(Files.newInputStream(f), 1 << 16), StandardCharsets.UTF_8), 1 << 16)) {
        String raw;
        while ((raw = r.readLine()) != null) {
          lines++;
          bytes += raw.length() + 1;
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
            pings++;
            checksum += p.exclusionMask() + (p.countryIso() == null ? 0 : p.countryIso().length());
          }
        }
      }
    }
    double s = (System.nanoTime() - t0) / 1e9;
    System.out.printf("{\"lines\":%d,\"bytes\":%d,\"pings\":%d,\"checksum\":%d,\"seconds\":%.3f}%n",
        lines, bytes, pings, checksum, s);
  }
}
