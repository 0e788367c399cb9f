package dw.pipelines;

import dw.io.s3.S3AccessOptions;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.Hidden;

/**
 * The options every log pipeline shares (same names, same meaning): input, backfill range,
 * streaming poll and early firings, late-file scan, warehouse, privacy, lake and S3 access. Each
 * pipeline adds its rules and its lateness default ({@code --allowedLatenessHours}, which depends on
 * how the source delivers its files).
 */
public interface LogPipelineOptions
    extends WarehouseOptions, PrivacyOptions, LakeOptions, S3AccessOptions {
  @Description(
      "Folder (searched recursively) or s3://bucket/prefix holding the pipeline's access-log files"
          + " (CloudFront: <distribution>.YYYY-MM-DD-HH.<id>.gz; load balancers: an AWSLogs/ tree)."
          + " Other files are skipped and counted.")
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
      "Streaming: seconds after the first new record of a window before an early (speculative)"
          + " result of the open window is written; later results replace it.")
  @Default.Integer(60)
  Integer getEarlyFiringSeconds();

  void setEarlyFiringSeconds(Integer value);

  @Description(
      "Streaming: seconds between two polls of --input for new files. Each poll lists only the"
          + " time prefixes (CloudFront hours, load-balancer day folders) that are still open: a"
          + " prefix closes when it is older than --allowedLatenessHours, and the source's"
          + " watermark is the oldest open one.")
  @Default.Integer(60)
  Integer getPollIntervalSeconds();

  void setPollIntervalSeconds(Integer value);

  @Description(
      "Streaming: hours after closing during which a time prefix is still listed for late files."
          + " A file found there is read, counted (files_late) and dead-lettered with reason"
          + " late_file; files arriving later still are left to a backfill.")
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
