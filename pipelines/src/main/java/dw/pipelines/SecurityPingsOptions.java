package dw.pipelines;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;

/**
 * Options of the {@code security-pings} pipeline: the shared {@link LogPipelineOptions} (including
 * Beam's AWS/S3 options {@code --awsRegion}, {@code --awsCredentialsProvider}, {@code --endpoint}
 * and {@code --s3PathStyle}) and the ping rules.
 */
public interface SecurityPingsOptions extends LogPipelineOptions {
  @Description(
      "Client IPs whose servers are excluded from the totals (reason restricted_ip),"
          + " comma-separated.")
  @Default.String("194.30.0.184")
  String getRestrictedIps();

  void setRestrictedIps(String value);

  @Description(
      "ISO country codes whose servers are excluded from the totals (reason excluded_country),"
          + " comma-separated. Default: Russia, Iran, North Korea.")
  @Default.String("RU,IR,KP")
  String getExcludedCountries();

  void setExcludedCountries(String value);

  @Description(
      "Allowed lateness of the daily windows, in hours after the end of the UTC day (24 h of"
          + " CloudFront's documented delivery delay + 1 h margin). Files listed while their day is"
          + " within it are read and refine the day (late panes); a file listed later is"
          + " dead-lettered late_file and not counted (a backfill of that day reads it).")
  @Default.Integer(25)
  Integer getAllowedLatenessHours();

  void setAllowedLatenessHours(Integer value);

  @Description(
      "Streaming: minutes the source's watermark trails the clock. CloudFront usually delivers a"
          + " request's log file within an hour of the request; 75 = that hour + 15 min margin. A"
          + " day's on-time result is written this long after the day ends.")
  @Default.Integer(75)
  Integer getWatermarkDelayMinutes();

  void setWatermarkDelayMinutes(Integer value);
}
