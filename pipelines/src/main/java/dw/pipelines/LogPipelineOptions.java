package dw.pipelines;

import dw.io.s3.S3AccessOptions;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.DefaultValueFactory;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.Hidden;

/**
 * The options every log pipeline shares (same names, same meaning): input, backfill range,
 * streaming poll and early firings, lateness, late-file scan, warehouse, privacy, lake and S3
 * access. Each pipeline adds its rules; the lateness default depends on how the source delivers its
 * files (one getter with a per-pipeline default: Beam rejects one option with two defaults).
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
      "Allowed lateness of the pipeline's event-time windows, in hours; records later than that"
          + " are dropped and counted as late (their files are dead-lettered as late_file). Default"
          + " by how the source delivers: security-pings 25 (CloudFront delivers log entries up to"
          + " 24 h late); push-proxy 1 (ALB publishes a file per node every 5 minutes, eventually"
          + " consistent: an hour leaves room for 12 delivery intervals).")
  @Default.InstanceFactory(LatenessByPipeline.class)
  Integer getAllowedLatenessHours();

  void setAllowedLatenessHours(Integer value);

  /** The lateness default of the pipeline whose options these are (see the description). */
  final class LatenessByPipeline implements DefaultValueFactory<Integer> {
    @Override
    public Integer create(PipelineOptions options) {
      return options instanceof PushProxyOptions ? 1 : 25;
    }
  }

  @Description(
      "Streaming: minutes the source's watermark trails the clock: events older than that are"
          + " believed to be in files already listed, so a window's on-time result is written this"
          + " long after it ends. Default by how the source delivers: security-pings 75 (CloudFront"
          + " usually delivers a request's log file within an hour of it; + 15 min margin);"
          + " push-proxy 15 (ALB publishes every 5 minutes; + 10 min margin).")
  @Default.InstanceFactory(WatermarkDelayByPipeline.class)
  Integer getWatermarkDelayMinutes();

  void setWatermarkDelayMinutes(Integer value);

  /** The watermark-delay default of the pipeline whose options these are (see the description). */
  final class WatermarkDelayByPipeline implements DefaultValueFactory<Integer> {
    @Override
    public Integer create(PipelineOptions options) {
      return options instanceof PushProxyOptions ? 15 : 75;
    }
  }

  @Description(
      "Streaming: seconds after the first new record of a window before an early (speculative)"
          + " result of the open window is written; later results replace it.")
  @Default.Integer(60)
  Integer getEarlyFiringSeconds();

  void setEarlyFiringSeconds(Integer value);

  @Description(
      "Streaming: seconds between two polls of --input for new files. Each poll lists only the"
          + " time prefixes (CloudFront hours, load-balancer day folders) that can still hold"
          + " counted files, plus --lateFileScanHours of older ones.")
  @Default.Integer(60)
  Integer getPollIntervalSeconds();

  void setPollIntervalSeconds(Integer value);

  @Description(
      "Streaming: hours during which a time prefix is still listed after its windows' lateness"
          + " expired, so files arriving then are dead-lettered late_file (files_late) instead of"
          + " never being seen; files arriving later still are left to a backfill.")
  @Default.Integer(24)
  Integer getLateFileScanHours();

  void setLateFileScanHours(Integer value);

  @Description(
      "Streaming, first start only (no savepoint): read from this UTC day (YYYY-MM-DD) or instant"
          + " (ISO-8601) instead of the start of the oldest window still open (within"
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
