package dw.pipelines;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;

/** Options of the {@code security-pings} pipeline. */
public interface SecurityPingsOptions extends WarehouseOptions, PrivacyOptions, LakeOptions {
  @Description(
      "Folder (searched recursively) or s3://bucket/prefix holding CloudFront access-log files"
          + " named <distribution>.YYYY-MM-DD-HH.<id>.gz. Other files are skipped and counted.")
  @Default.String("")
  String getInput();

  void setInput(String value);

  @Description(
      "First UTC day (YYYY-MM-DD) of a bounded backfill. With --to: read the files whose names"
          + " can hold requests of those days, write those days, print the run summary and exit."
          + " Without --from/--to the pipeline runs unbounded, watching --input for new files.")
  @Default.String("")
  String getFrom();

  void setFrom(String value);

  @Description("Last UTC day (YYYY-MM-DD, inclusive) of a bounded backfill; see --from.")
  @Default.String("")
  String getTo();

  void setTo(String value);

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
      "Allowed lateness of the daily windows, in hours. CloudFront delivers log entries up to"
          + " 24 h late; later pings are dropped and counted as late.")
  @Default.Integer(25)
  Integer getAllowedLatenessHours();

  void setAllowedLatenessHours(Integer value);

  @Description(
      "Streaming: seconds after the first new ping of a day before an early (speculative) result"
          + " of the open day is written; later results replace it.")
  @Default.Integer(60)
  Integer getEarlyFiringSeconds();

  void setEarlyFiringSeconds(Integer value);

  @Description("Streaming: seconds between two listings of --input for new files.")
  @Default.Integer(60)
  Integer getPollIntervalSeconds();

  void setPollIntervalSeconds(Integer value);
}
