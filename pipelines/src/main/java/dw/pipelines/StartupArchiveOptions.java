package dw.pipelines;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** Options of {@code startup-archive}. */
public interface StartupArchiveOptions extends PipelineOptions {
  @Description(
      "Where to write the class-data archive; empty: beside the job jar, with .jsa for .jar "
          + "(target/dw-pipelines.jsa, the path the README's backfill command gives the JVM).")
  @Default.String("")
  String getOutput();

  void setOutput(String value);
}
