package dw.pipelines.generate;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * Options of {@code generate}. {@code --output}, {@code --from} and {@code --to} default to the
 * chosen data set's values (empty here: {@code --from}/{@code --to} are also the log pipelines'
 * options, whose default is empty, and Beam wants one default per option name); the other options
 * belong to one data set each, and giving one to another data set is an error.
 */
public interface GenerateOptions extends PipelineOptions {
  @Description("Data set to write: security-pings (CloudFront logs), push-proxy (ALB logs), releases"
      + " (download-CDN logs) or licenses (license exports).")
  @Default.String(GenerateCommand.SECURITY_PINGS)
  String getDataset();

  void setDataset(String value);

  @Description("Folder to write the logs and _truth/ into. Empty: data/generated/security,"
      + " data/generated/push-proxy, data/generated/releases or data/generated/licenses.")
  @Default.String("")
  String getOutput();

  void setOutput(String value);

  @Description("First UTC day (inclusive), YYYY-MM-DD. Empty: 2026-10-01 (licenses: the first snapshot"
      + " date, 2020-01-01).")
  @Default.String("")
  String getFrom();

  void setFrom(String value);

  @Description("Last UTC day (inclusive), YYYY-MM-DD. Empty: 2026-10-03 (security-pings), 2026-10-01"
      + " (push-proxy), 2026-10-02 (releases), 2020-01-06 (licenses: at least 3 days after --from).")
  @Default.String("")
  String getTo();

  void setTo(String value);

  @Description("Random seed; the same options and seed give byte-identical output.")
  @Default.Long(42)
  long getSeed();

  void setSeed(long value);

  @Description("Replace generated logs and truth already in --output (security-pings, push-proxy).")
  @Default.Boolean(false)
  boolean getOverwrite();

  void setOverwrite(boolean value);

  @Description("security-pings: number of distinct servers.")
  @Default.Integer(2000)
  int getServers();

  void setServers(int value);

  @Description("security-pings: number of CloudFront distributions (log folders).")
  @Default.Integer(2)
  int getDistributions();

  void setDistributions(int value);

  @Description("security-pings: log files per hour per distribution.")
  @Default.Integer(2)
  int getFilesPerHour();

  void setFilesPerHour(int value);

  @Description("security-pings: threads compressing files (does not change the output). 0: min(2, cores).")
  @Default.Integer(0)
  int getThreads();

  void setThreads(int value);

  @Description("push-proxy: requests per hour of the busiest load balancer.")
  @Default.Integer(120)
  int getRequestsPerHour();

  void setRequestsPerHour(int value);

  @Description("releases: downloads per day (plus non-downloads and broken lines).")
  @Default.Integer(150)
  int getDownloadsPerDay();

  void setDownloadsPerDay(int value);

  @Description("licenses: licenses in the first snapshot.")
  @Default.Integer(60)
  int getLicenses();

  void setLicenses(int value);
}
