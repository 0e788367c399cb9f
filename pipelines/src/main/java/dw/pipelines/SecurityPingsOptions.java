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
      "Allowed lateness of the daily windows, in hours after the end of the UTC day (24 h of"
          + " CloudFront's documented delivery delay + 1 h margin). Files listed while their day is"
          + " within it are read and refine the day (late panes); a file listed later is"
          + " dead-lettered late_file and not counted (a backfill of that day reads it).")
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
          + " hour prefixes (<dist>.YYYY-MM-DD-HH.) that can still hold counted files, plus"
          + " --lateFileScanHours of older ones.")
  @Default.Integer(60)
  Integer getPollIntervalSeconds();

  void setPollIntervalSeconds(Integer value);

  @Description(
      "Streaming: hours during which an hour prefix is still listed after its day's lateness"
          + " expired, so files arriving then are dead-lettered late_file (files_late) instead of never"
          + " being seen; files arriving later still are left to a backfill.")
  @Default.Integer(24)
  Integer getLateFileScanHours();

  void setLateFileScanHours(Integer value);

  @Description(
      "Streaming: minutes the source's watermark trails the clock. CloudFront usually delivers a"
          + " request's log file within an hour of the request; 75 = that hour + 15 min margin. A"
          + " day's on-time result is written this long after the day ends.")
  @Default.Integer(75)
  Integer getWatermarkDelayMinutes();

  void setWatermarkDelayMinutes(Integer value);

  @Description(
      "Streaming, first start only (no savepoint): read from this UTC day (YYYY-MM-DD) or instant"
          + " (ISO-8601) instead of the start of the oldest day still open (within"
          + " --allowedLatenessHours). Files before it are left to a backfill.")
  @Default.String("")
  String getStartAt();

  void setStartAt(String value);


  /** Test hook: "system", or "manual:<name>" for a clock set by tests (TailClock.set). */
  @Hidden
  @Description("Clock of the streaming source: system or manual:<name> (tests only).")
  @Default.String("system")
  String getTailClock();

  void setTailClock(String value);
}
