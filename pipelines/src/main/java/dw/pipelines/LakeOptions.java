package dw.pipelines;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** The Parquet lake of raw pings (docs/sinks.md "Parquet lake"). */
public interface LakeOptions extends PipelineOptions {
  @Description(
      "Also write every parsed ping as Parquet under <lake>/table=security_pings/date=YYYY-MM-DD/"
          + "hour=HH/ (a folder, or a URL of any Beam filesystem on the classpath). Empty: off.")
  @Default.String("")
  String getLake();

  void setLake(String value);

  @Description("Parquet files per lake partition (and per streaming pane); 1 to 16.")
  @Default.Integer(1)
  Integer getLakeShards();

  void setLakeShards(Integer value);

  @Description(
      "Streaming: minutes to gather late pings of an hour before writing them as one more small"
          + " file set of its partition.")
  @Default.Integer(10)
  Integer getLakeLateFiringMinutes();

  void setLakeLateFiringMinutes(Integer value);
}
