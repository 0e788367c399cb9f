package dw.pipelines;

import dw.io.s3.S3AccessOptions;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.Hidden;

/**
 * Options of the {@code security-pings} pipeline, including Beam's AWS/S3 options ({@code
 * --awsRegion}, {@code --awsCredentialsProvider}, {@code --endpoint}) and {@code --s3PathStyle}.
 */
public interface SecurityPingsOptions
    extends WarehouseOptions, PrivacyOptions, LakeOptions, S3AccessOptions {
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

  @Description(
      "Streaming: seconds between two polls of --input for new files. Each poll lists only the"
          + " hour prefixes (<dist>.YYYY-MM-DD-HH.) that are still open: an hour closes when it is"
          + " older than --allowedLatenessHours, and the source's watermark is the oldest open hour.")
  @Default.Integer(60)
  Integer getPollIntervalSeconds();

  void setPollIntervalSeconds(Integer value);

  @Description(
      "Streaming: hours after closing during which an hour is still listed for late files. A file"
          + " found there is read, counted (files_late) and dead-lettered with reason late_file;"
          + " files arriving later still are left to a backfill.")
  @Default.Integer(24)
  Integer getLateFileScanHours();

  void setLateFileScanHours(Integer value);

  /** Test hook: "system", or "manual:<name>" for a clock set by tests (TailClock.set). */
  @Hidden
  @Description("Clock of the streaming source: system or manual:<name> (tests only).")
  @Default.String("system")
  String getTailClock();

  void setTailClock(String value);
}
