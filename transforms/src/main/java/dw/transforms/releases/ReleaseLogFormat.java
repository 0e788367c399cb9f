package dw.transforms.releases;

import dw.transforms.common.GeoDatabases;
import dw.transforms.logs.LineParser;
import dw.transforms.logs.LogFormat;
import dw.transforms.privacy.ClientIpPolicy;
import dw.transforms.useragent.UserAgentParser;
import java.util.List;
import org.apache.beam.sdk.coders.Coder;

/** The download-CDN data set as a {@link LogFormat}: CloudFront lines → {@link ReleaseDownload}s. */
public final class ReleaseLogFormat implements LogFormat<ReleaseDownload> {
  public static final String PIPELINE = "releases";
  /** Counter (and run-summary key) of the downloads kept by the reading step. */
  public static final String PARSED_COUNTER = "parsed_downloads";

  private final int fromEpochDay;
  private final int toEpochDay;
  private final String geoipCity;
  private final String geoipAsn;
  private final int geoipRefreshHours;
  private final ClientIpPolicy redaction;

  /**
   * @param geoipCity City database path, or null/empty for no GeoIP
   * @param geoipRefreshHours hours between checks for replaced databases, 0 for never
   * @param redaction hashes the client address in dead letters' raw lines (null: keep them raw)
   */
  public ReleaseLogFormat(
      int fromEpochDay,
      int toEpochDay,
      String geoipCity,
      String geoipAsn,
      int geoipRefreshHours,
      ClientIpPolicy redaction) {
    this.fromEpochDay = fromEpochDay;
    this.toEpochDay = toEpochDay;
    this.geoipCity = geoipCity;
    this.geoipAsn = geoipAsn;
    this.geoipRefreshHours = geoipRefreshHours;
    this.redaction = redaction;
  }

  @Override
  public String pipeline() {
    return PIPELINE;
  }

  @Override
  public List<String> filterReasons() {
    return ReleaseLines.FILTER_REASONS;
  }

  @Override
  public String parsedCounter() {
    return PARSED_COUNTER;
  }

  @Override
  public Coder<ReleaseDownload> recordCoder() {
    return ReleaseDownload.Coder.of();
  }

  @Override
  public LineParser<ReleaseDownload> newParser() {
    return new ReleaseLines(
        fromEpochDay,
        toEpochDay,
        GeoDatabases.forOptions(geoipCity, geoipAsn, geoipRefreshHours),
        new UserAgentParser(),
        redaction);
  }
}
