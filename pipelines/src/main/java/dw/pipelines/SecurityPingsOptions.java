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
}
